package invoicing

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// applyCustomerLinks links the draft to the party's remembered customer in
// the draft's currency. Without one it returns the ranked candidates in
// that currency. When none has the exact name but the party is linked in
// another currency, or a customer of its name exists in another currency,
// the new customer's name gets the currency, "Acme Ltd (EUR)": QuickBooks
// fixes a customer's currency and needs unique names.
func applyCustomerLinks(d *Draft, links []CustomerLink, customers []QBCustomer, c Company) []CustomerMatch {
	for _, l := range links {
		if l.Currency == d.Currency {
			d.Customer.LinkedID, d.Customer.LinkedCurrency = l.CustomerID, l.Currency
			return nil
		}
	}
	var same, other []QBCustomer
	for _, qc := range customers {
		if customerCurrency(qc, c) == d.Currency {
			same = append(same, qc)
		} else {
			other = append(other, qc)
		}
	}
	matches := RankCustomers(d.Customer.To, d.Customer.Email, same)
	if d.Currency == "" || d.Customer.To == "" || (len(matches) > 0 && matches[0].Kind == ExactName) {
		return matches
	}
	taken := len(links) > 0
	for _, m := range RankCustomers(d.Customer.To, "", other) {
		taken = taken || m.Kind == ExactName
	}
	if !taken {
		return matches
	}
	d.Customer.To = CustomerNameForCurrency(d.Customer.To, d.Currency)
	return RankCustomers(d.Customer.To, d.Customer.Email, same)
}

// customerCurrency is the customer's currency; QuickBooks leaves it out in
// a company without multicurrency, where it is the home currency.
func customerCurrency(qc QBCustomer, c Company) string {
	if qc.Currency == "" {
		return c.HomeCurrency
	}
	return qc.Currency
}

// CustomerMatches ranks the QuickBooks customers in the draft's currency
// against the draft's customer name and e-mail, best first.
func (s *Service) CustomerMatches(ctx context.Context, d Draft) ([]CustomerMatch, error) {
	company, err := s.Company(ctx)
	if err != nil {
		return nil, err
	}
	customers, err := s.customerList(ctx)
	if err != nil {
		return nil, err
	}
	var same []QBCustomer
	for _, qc := range customers {
		if customerCurrency(qc, company) == d.Currency {
			same = append(same, qc)
		}
	}
	return RankCustomers(d.Customer.To, d.Customer.Email, same), nil
}

// LinkCustomer links the draft to the QuickBooks customer customerID and
// remembers the link for the draft's organization or person and currency.
// A customer in another currency than the draft's is refused with a
// *ValidationError (CurrencyCustomerMismatch). An organization's link is
// also kept on the Pipedrive organization for the whole team; when that
// fails the draft is returned linked, the link kept locally, with the
// error (a *SharedFieldError when no field can hold it).
func (s *Service) LinkCustomer(ctx context.Context, d Draft, customerID string) (Draft, error) {
	company, err := s.Company(ctx)
	if err != nil {
		return d, err
	}
	qc, err := s.findCustomer(ctx, customerID)
	if err != nil {
		return d, err
	}
	cur := customerCurrency(qc, company)
	if cur != d.Currency {
		var v validator
		v.add("customer", CurrencyCustomerMismatch,
			"%s uses %s, not %s; QuickBooks fixes a customer's currency", qc.DisplayName, cur, d.Currency)
		return d, &ValidationError{Issues: v.issues}
	}
	if !d.Customer.Party.IsZero() {
		l := CustomerLink{Party: d.Customer.Party, Currency: cur, CustomerID: qc.ID, DisplayName: qc.DisplayName}
		if err := s.repo.SaveCustomerLink(ctx, l); err != nil {
			return d, fmt.Errorf("save customer link: %w", err)
		}
	}
	d.Customer.LinkedID, d.Customer.LinkedCurrency = qc.ID, cur
	// The draft stays linked whatever Pipedrive answers: a *SharedFieldError says the link is kept on
	// this computer only, and what an admin must do.
	return d, s.share(ctx, d.Customer.Party, qc.ID)
}

// UnlinkCustomer forgets the draft's customer link (for its party and
// currency) and returns the draft unlinked. An organization's link is
// cleared on the Pipedrive organization too, so for the whole team (the
// UI asks first, saying so); the local link is gone even when that fails.
func (s *Service) UnlinkCustomer(ctx context.Context, d Draft) (Draft, error) {
	linked := d.Customer.LinkedID
	if !d.Customer.Party.IsZero() {
		if err := s.repo.DeleteCustomerLink(ctx, d.Customer.Party, d.Currency); err != nil {
			return d, fmt.Errorf("delete customer link: %w", err)
		}
	}
	d.Customer.LinkedID, d.Customer.LinkedCurrency = "", ""
	if linked == "" {
		return d, nil
	}
	return d, s.share(ctx, d.Customer.Party, "")
}

// findCustomer returns the customer from the list read so far, else reads it.
func (s *Service) findCustomer(ctx context.Context, id string) (QBCustomer, error) {
	if list, err := s.customerList(ctx); err == nil {
		for _, qc := range list {
			if qc.ID == id {
				return qc, nil
			}
		}
	}
	qc, err := s.acct.Customer(ctx, id)
	if err != nil {
		return QBCustomer{}, fmt.Errorf("read QuickBooks customer %s: %w", id, err)
	}
	return qc, nil
}

// customerChanges returns the fields of the draft's customer that differ
// from QuickBooks' and so are to be written. Empty local values are never
// written; addresses are compared on their letters and digits only, tax
// IDs on their last five characters (QuickBooks masks the rest).
func customerChanges(local Customer, qb QBCustomer) CustomerChanges {
	var ch CustomerChanges
	if e := strings.TrimSpace(local.Email); e != "" && !strings.EqualFold(e, strings.TrimSpace(qb.Email)) {
		ch.Email = e
	}
	if a := strings.TrimSpace(local.Address); a != "" && alnumFold(a) != alnumFold(qb.Address) {
		ch.Address = a
	}
	if TaxIDDiffers(local.TaxID, qb.TaxID) {
		ch.TaxID = strings.TrimSpace(local.TaxID)
	}
	return ch
}

// alnumFold keeps only the letters and digits of s, lower-cased.
func alnumFold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
