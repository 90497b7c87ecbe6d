package invoicing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Preferences say how a deal becomes an invoice, per account pair.
type Preferences struct {
	// To, Address, Email and TaxID name the Pipedrive field that fills each
	// customer field; a zero TaxID fills none.
	To, Address, Email, TaxID FieldRef
	// DueDays is the due date as days after the issue date, 0 to MaxDueDays.
	DueDays int
	// DefaultItemID is the QuickBooks item for products with no item of their own.
	DefaultItemID string
	// DefaultTaxCode is the tax code of lines outside the US.
	DefaultTaxCode string
	// TaxCodeByRate remembers, outside the US, the QuickBooks tax code that
	// stands for a Pipedrive tax rate (by RateKey); a rate not in it is
	// matched to a code of the same rate. Creating an invoice remembers
	// the codes its lines used.
	TaxCodeByRate map[string]string `json:",omitempty"`
	// TaxableByDefault marks US lines taxable even when the product carries no tax rate in Pipedrive, and
	// the lines the rep adds in the editor; a product with a rate is taxable either way (taxable).
	TaxableByDefault bool
	Numbering        Numbering
	// WriteNote writes a note on the Pipedrive deal for each invoice created.
	WriteNote bool
	// DealFields are the deal fields kept up to date with the deal's
	// invoices' status and amount; none chosen writes none.
	DealFields DealStatusFields `json:",omitzero"`
}

// taxable is the one rule for whether a US line is taxable: a line whose Pipedrive product carries a tax rate
// is; any other line (a product without a rate, a line the rep adds: NewLine) is when TaxableByDefault is on.
// The deal-value line of a deal without products is the exception: it bills the deal's value as it is
// (valueLine).
func (p Preferences) taxable(productTaxed bool) bool { return productTaxed || p.TaxableByDefault }

// NumberingMode says who numbers invoices.
type NumberingMode string

// The numbering modes.
const (
	// NumberQuickBooks lets QuickBooks number invoices.
	NumberQuickBooks NumberingMode = "quickbooks"
	// NumberPrefix numbers invoices Prefix + Next, such as PD-1000.
	NumberPrefix NumberingMode = "prefix"
)

// Numbering is the invoice numbering preference.
type Numbering struct {
	Mode   NumberingMode
	Prefix string
	Next   int64 // the number of the next invoice
}

// number returns the invoice number to use now, "" when QuickBooks numbers.
func (n Numbering) number() string {
	if n.Mode != NumberPrefix {
		return ""
	}
	return n.Prefix + strconv.FormatInt(n.Next, 10)
}

// DefaultPreferences are the preferences before the rep changes any:
// To from the organization name, Address from the organization address,
// Email from the person's e-mail, no tax ID, due in 14 days, QuickBooks
// numbering, a note on the deal.
func DefaultPreferences() Preferences {
	return Preferences{
		To:        FieldRef{EntityOrganization, FieldName},
		Address:   FieldRef{EntityOrganization, FieldAddress},
		Email:     FieldRef{EntityPerson, FieldEmail},
		DueDays:   14,
		Numbering: Numbering{Mode: NumberQuickBooks},
		WriteNote: true,
	}
}

// The Pipedrive field types a deal field for the invoice status and for
// the invoiced amount may have (the types the adapter knows how to write).
var (
	StatusFieldTypes = []string{"varchar", "text", "varchar_auto"}
	AmountFieldTypes = []string{"monetary", "double"}
)

// The issue codes of preferences.
const (
	FieldMissing       IssueCode = "field_missing"
	FieldUnknown       IssueCode = "field_unknown"
	DueDaysOutOfRange  IssueCode = "due_days_out_of_range"
	ItemMissing        IssueCode = "item_missing"
	NumberingInvalid   IssueCode = "numbering_invalid"
	NumberingNotOnInQB IssueCode = "numbering_not_on_in_quickbooks"
)

// Preferences returns the saved preferences, or DefaultPreferences.
func (s *Service) Preferences(ctx context.Context) (Preferences, error) {
	return s.preferences(ctx)
}

// PreferenceChoices is what the preferences screen offers to choose from.
type PreferenceChoices struct {
	Fields   []Field // Pipedrive deal, organization and person fields
	Items    []Item
	TaxCodes []TaxCode
	Company  Company
}

// PreferenceChoices reads the fields, items and tax codes to choose from.
func (s *Service) PreferenceChoices(ctx context.Context) (PreferenceChoices, error) {
	var pc PreferenceChoices
	var err error
	if pc.Fields, err = s.crm.Fields(ctx); err != nil {
		return PreferenceChoices{}, fmt.Errorf("read Pipedrive fields: %w", err)
	}
	if pc.Company, err = s.Company(ctx); err != nil {
		return PreferenceChoices{}, err
	}
	if pc.Items, err = s.Items(ctx); err != nil {
		return PreferenceChoices{}, err
	}
	if pc.TaxCodes, err = s.TaxCodes(ctx); err != nil {
		return PreferenceChoices{}, err
	}
	return pc, nil
}

// SavePreferences checks p and saves it whole, or refuses it with a
// *ValidationError naming each problem and saves nothing. Field choices
// are checked against fields when it is not nil (the list the screen
// showed); company rules are checked when the company is known.
func (s *Service) SavePreferences(ctx context.Context, p Preferences, fields []Field) error {
	c, err := s.Company(ctx)
	known := err == nil
	if err := CheckPreferences(p, fields, c, known); err != nil {
		return err
	}
	if p.TaxCodeByRate == nil {
		// The screen edits no remembered tax codes: keep them.
		old, err := s.preferences(ctx)
		if err != nil {
			return err
		}
		p.TaxCodeByRate = old.TaxCodeByRate
	}
	if err := s.repo.SavePreferences(ctx, p); err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}

// CheckPreferences returns nil or a *ValidationError listing what is wrong
// with p. fields, when not nil, are the fields that exist; company rules
// apply only when companyKnown.
func CheckPreferences(p Preferences, fields []Field, c Company, companyKnown bool) error {
	var v validator
	refs := []struct {
		name     string
		ref      FieldRef
		required bool
	}{
		{"to", p.To, true}, {"address", p.Address, false}, {"email", p.Email, false}, {"tax_id", p.TaxID, false},
	}
	for _, r := range refs {
		switch {
		case r.ref.IsZero() && r.required:
			v.add(r.name, FieldMissing, "choose the Pipedrive field for %s", r.name)
		case r.ref.IsZero():
		case r.ref.Entity != EntityDeal && r.ref.Entity != EntityOrganization && r.ref.Entity != EntityPerson, r.ref.Code == "":
			v.add(r.name, FieldUnknown, "choose an organization, person or deal field for %s", r.name)
		case fields != nil && !hasField(fields, r.ref):
			v.add(r.name, FieldUnknown, "the Pipedrive field for %s no longer exists", r.name)
		}
	}
	for _, d := range []struct {
		name, code string
		types      []string
	}{{"deal_status_field", p.DealFields.Status, StatusFieldTypes}, {"deal_amount_field", p.DealFields.Amount, AmountFieldTypes}} {
		if d.code == "" || fields == nil {
			continue
		}
		i := slices.IndexFunc(fields, func(f Field) bool { return f.Entity == EntityDeal && f.Code == d.code })
		switch {
		case i < 0:
			v.add(d.name, FieldUnknown, "the Pipedrive deal field for %s no longer exists", d.name)
		case !slices.Contains(d.types, fields[i].Type):
			v.add(d.name, FieldUnknown, "the Pipedrive deal field %q cannot hold %s", fields[i].Name, d.name)
		}
	}
	if p.DueDays < 0 || p.DueDays > MaxDueDays {
		v.add("due_days", DueDaysOutOfRange, "the due date must be 0 to %d days after the issue date", MaxDueDays)
	}
	if p.DefaultItemID == "" {
		v.add("default_item", ItemMissing, "choose the QuickBooks item for products without one")
	}
	if companyKnown && c.TaxModel == TaxGlobal && p.DefaultTaxCode == "" {
		v.add("default_tax_code", TaxCodeMissing, "choose the default tax code; QuickBooks needs one on every line outside the US")
	}
	switch p.Numbering.Mode {
	case NumberQuickBooks:
	case NumberPrefix:
		switch {
		case p.Numbering.Next < 1:
			v.add("numbering.next", NumberingInvalid, "the next invoice number must be 1 or more")
		case utf8.RuneCountInString(p.Numbering.number()) > MaxInvoiceNumber:
			v.add("numbering.prefix", NumberingInvalid, "prefix and number together may have at most %d characters", MaxInvoiceNumber)
		case companyKnown && !c.CustomTxnNumbers:
			v.add("numbering.mode", NumberingNotOnInQB, "turn on custom transaction numbers in QuickBooks to use your own numbers")
		}
	default:
		v.add("numbering.mode", NumberingInvalid, "choose QuickBooks numbering or a prefix and number")
	}
	if len(v.issues) == 0 {
		return nil
	}
	return &ValidationError{Issues: v.issues}
}

func hasField(fields []Field, ref FieldRef) bool {
	for _, f := range fields {
		if f.Entity == ref.Entity && f.Code == ref.Code {
			return true
		}
	}
	return false
}

// rememberTaxCodes keeps, outside the US, the tax code each line from a deal
// product used for the product's Pipedrive rate, so the next draft with that
// rate takes the same code (the rep may have changed it in the editor).
func (s *Service) rememberTaxCodes(ctx context.Context, d Draft, p Preferences) error {
	if d.Tax.Model != TaxGlobal || d.Source.TaxMethod == TaxMethodNone {
		return nil
	}
	changed := false
	for _, l := range d.Lines {
		if l.Deal == nil || l.TaxCode == "" {
			continue
		}
		key := RateKey(l.Deal.TaxRate)
		if p.TaxCodeByRate[key] == l.TaxCode {
			continue
		}
		if p.TaxCodeByRate == nil {
			p.TaxCodeByRate = map[string]string{}
		}
		p.TaxCodeByRate[key], changed = l.TaxCode, true
	}
	if !changed {
		return nil
	}
	if err := s.repo.SavePreferences(ctx, p); err != nil {
		return fmt.Errorf("save tax codes by rate: %w", err)
	}
	return nil
}
