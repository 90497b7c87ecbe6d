package invoicing

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// QBCustomer is a customer as QuickBooks holds it: a candidate to link a
// deal to, or the customer an invoice goes to.
type QBCustomer struct {
	ID          string
	SyncToken   string // the optimistic-lock version a sparse update must carry
	DisplayName string
	Email       string // PrimaryEmailAddr
	// Address is BillAddr as one text, its non-empty parts joined by ", ".
	Address string
	// TaxID is PrimaryTaxIdentifier as QuickBooks returns it: masked, only
	// the last five characters shown (see TaxIDDiffers).
	TaxID    string
	Currency string // CurrencyRef, fixed once set
}

// MatchKind says why a candidate matched; lower values are better matches.
type MatchKind int

// The kinds of match, best first.
const (
	ExactName   MatchKind = iota // same name, ignoring case and spacing
	SameEmail                    // same e-mail address, ignoring case
	PartialName                  // one name contains the other
)

// CustomerMatch is one ranked candidate.
type CustomerMatch struct {
	Customer QBCustomer
	Kind     MatchKind
}

// RankCustomers returns the candidates that match the Pipedrive organization
// or person's name or e-mail address, best first: exact name, then same
// e-mail, then partial name. Candidates of equal kind keep their given order;
// candidates that match in no way are left out.
func RankCustomers(name, email string, candidates []QBCustomer) []CustomerMatch {
	wantName := normalName(name)
	wantEmail := strings.ToLower(strings.TrimSpace(email))
	var matches []CustomerMatch
	for _, c := range candidates {
		got := normalName(c.DisplayName)
		switch {
		case wantName != "" && got == wantName:
			matches = append(matches, CustomerMatch{c, ExactName})
		case wantEmail != "" && strings.ToLower(strings.TrimSpace(c.Email)) == wantEmail:
			matches = append(matches, CustomerMatch{c, SameEmail})
		case wantName != "" && got != "" && (strings.Contains(got, wantName) || strings.Contains(wantName, got)):
			matches = append(matches, CustomerMatch{c, PartialName})
		}
	}
	slices.SortStableFunc(matches, func(a, b CustomerMatch) int { return cmp.Compare(a.Kind, b.Kind) })
	return matches
}

// normalName lower-cases a name and collapses its white space.
func normalName(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// TaxIDDiffers reports whether the tax ID we hold differs from the one
// QuickBooks returned. QuickBooks masks PrimaryTaxIdentifier, exposing only
// its last five characters ("123-45-6789" comes back as "XXXXXX56789"), so
// only the last five letters or digits are compared, ignoring case and
// separators. An empty local ID never differs: there is nothing to write.
func TaxIDDiffers(local, qbMasked string) bool {
	l := lastAlnum(local, 5)
	if l == "" {
		return false
	}
	return l != lastAlnum(qbMasked, 5)
}

// lastAlnum returns the last n letters and digits of s, upper-cased.
func lastAlnum(s string, n int) string {
	var kept []rune
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			kept = append(kept, r)
		}
	}
	return string(kept[max(len(kept)-n, 0):])
}

// CustomerNameForCurrency returns the display name for a customer in
// currency: the name followed by the code in brackets, "Acme Ltd (EUR)".
//
// QuickBooks fixes a customer's currency once set and needs DisplayName to
// be unique, so invoicing an organization in a second currency needs a second
// customer with its own name. A name that already ends in " (EUR)" is
// returned unchanged.
func CustomerNameForCurrency(name, currency string) string {
	name = strings.TrimSpace(name)
	suffix := " (" + currency + ")"
	if strings.HasSuffix(name, suffix) {
		return name
	}
	return name + suffix
}
