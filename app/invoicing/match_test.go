package invoicing

import (
	"slices"
	"testing"
)

func TestRankCustomers(t *testing.T) {
	candidates := []QBCustomer{
		{ID: "1", DisplayName: "Acme Holdings", Email: "ceo@acme.example"},
		{ID: "2", DisplayName: "Bolt Inc", Email: "Billing@Acme.example"},
		{ID: "3", DisplayName: "  ACME   ltd ", Email: ""},
		{ID: "4", DisplayName: "Zeta"},
		{ID: "5", DisplayName: "Acme Ltd (EUR)", Email: "billing@acme.example"},
		{ID: "6", DisplayName: "Acme"},
		{ID: "7", DisplayName: "acme ltd"},
	}
	tests := []struct {
		name, email string
		want        []string // ids, best first
		kinds       []MatchKind
	}{
		{
			name: "Acme Ltd", email: "billing@acme.example",
			want:  []string{"3", "7", "2", "5", "6"},
			kinds: []MatchKind{ExactName, ExactName, SameEmail, SameEmail, PartialName},
		},
		{
			name: "acme", email: "",
			want:  []string{"6", "1", "3", "5", "7"},
			kinds: []MatchKind{ExactName, PartialName, PartialName, PartialName, PartialName},
		},
		{name: "", email: " CEO@acme.example ", want: []string{"1"}, kinds: []MatchKind{SameEmail}},
		{name: "Nobody", email: "nobody@nowhere.example", want: nil, kinds: nil},
		{name: "   ", email: "", want: nil, kinds: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+"|"+tt.email, func(t *testing.T) {
			got := RankCustomers(tt.name, tt.email, candidates)
			var ids []string
			var kinds []MatchKind
			for _, m := range got {
				ids = append(ids, m.Customer.ID)
				kinds = append(kinds, m.Kind)
			}
			if !slices.Equal(ids, tt.want) || !slices.Equal(kinds, tt.kinds) {
				t.Errorf("RankCustomers = %v %v, want %v %v", ids, kinds, tt.want, tt.kinds)
			}
		})
	}
}

func TestTaxIDDiffers(t *testing.T) {
	tests := []struct {
		local, masked string
		want          bool
	}{
		{"123-45-6789", "XXXXXX56789", false}, // Intuit's own masking example
		{"GB 123 456 789", "XXXXXX56789", false},
		{"gb123456abc", "XXXXXX56ABC", false},
		{"123-45-6780", "XXXXXX56789", true},
		{"123456789", "", true}, // QuickBooks has none: write ours
		{"", "XXXXXX56789", false},
		{"", "", false},
		{"AB12", "AB12", false},
		{"AB12", "AB13", true},
	}
	for _, tt := range tests {
		if got := TaxIDDiffers(tt.local, tt.masked); got != tt.want {
			t.Errorf("TaxIDDiffers(%q, %q) = %v, want %v", tt.local, tt.masked, got, tt.want)
		}
	}
}

func TestCustomerNameForCurrency(t *testing.T) {
	tests := []struct{ name, currency, want string }{
		{"Acme Ltd", "EUR", "Acme Ltd (EUR)"},
		{" Acme Ltd ", "USD", "Acme Ltd (USD)"},
		{"Acme Ltd (EUR)", "EUR", "Acme Ltd (EUR)"},
		{"Acme Ltd (EUR)", "USD", "Acme Ltd (EUR) (USD)"},
	}
	for _, tt := range tests {
		if got := CustomerNameForCurrency(tt.name, tt.currency); got != tt.want {
			t.Errorf("CustomerNameForCurrency(%q, %q) = %q, want %q", tt.name, tt.currency, got, tt.want)
		}
	}
}
