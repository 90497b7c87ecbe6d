package store

import (
	"context"
	"testing"

	"dealbooks/app/invoicing"
)

func TestCustomerLinks(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	org := invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 1}
	person := invoicing.PartyRef{Entity: invoicing.EntityPerson, ID: 1} // same id, another kind of party

	if links, err := r.CustomerLinks(ctx, org); err != nil || len(links) != 0 {
		t.Fatalf("CustomerLinks before any save = %v, %v; want none", links, err)
	}
	mustDo(t,
		r.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: org, Currency: "USD", CustomerID: "58", DisplayName: "Acme"}),
		r.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: org, Currency: "EUR", CustomerID: "59", DisplayName: "Acme (EUR)"}),
		r.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: person, Currency: "USD", CustomerID: "60", DisplayName: "Ann"}),
		// Replaces the USD link of the organization.
		r.SaveCustomerLink(ctx, invoicing.CustomerLink{Party: org, Currency: "USD", CustomerID: "61", DisplayName: "Acme Inc"}),
	)
	tests := []struct {
		name  string
		party invoicing.PartyRef
		want  []invoicing.CustomerLink
	}{
		{"organization, one link per currency", org, []invoicing.CustomerLink{
			{Party: org, Currency: "EUR", CustomerID: "59", DisplayName: "Acme (EUR)"},
			{Party: org, Currency: "USD", CustomerID: "61", DisplayName: "Acme Inc"},
		}},
		{"person with the same id", person, []invoicing.CustomerLink{
			{Party: person, Currency: "USD", CustomerID: "60", DisplayName: "Ann"},
		}},
		{"unknown party", invoicing.PartyRef{Entity: invoicing.EntityOrganization, ID: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.CustomerLinks(ctx, tt.party)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "CustomerLinks", got, tt.want)
		})
	}

	mustDo(t,
		r.DeleteCustomerLink(ctx, org, "USD"),
		r.DeleteCustomerLink(ctx, org, "GBP"), // none: not an error
	)
	got, err := r.CustomerLinks(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "CustomerLinks after delete", got, []invoicing.CustomerLink{
		{Party: org, Currency: "EUR", CustomerID: "59", DisplayName: "Acme (EUR)"},
	})
}

func TestItemLinks(t *testing.T) {
	ctx := context.Background()
	r, _ := newRepo(t)
	links, err := r.ItemLinks(ctx)
	if err != nil || links == nil || len(links) != 0 {
		t.Fatalf("ItemLinks before any save = %#v, %v; want an empty map", links, err)
	}
	mustDo(t,
		r.SaveItemLink(ctx, 1, "10"),
		r.SaveItemLink(ctx, 2, "20"),
		r.SaveItemLink(ctx, 1, "11"), // replaces
	)
	links, err = r.ItemLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ItemLinks", links, map[int64]string{1: "11", 2: "20"})
}
