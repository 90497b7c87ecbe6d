package invoicing

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

var testFields = []Field{
	{Entity: EntityOrganization, Code: FieldName, Name: "Name"},
	{Entity: EntityOrganization, Code: FieldAddress, Name: "Address"},
	{Entity: EntityPerson, Code: FieldEmail, Name: "Email"},
	{Entity: EntityOrganization, Code: "vat_hash", Name: "VAT number", Custom: true},
}

func validPreferences() Preferences {
	p := DefaultPreferences()
	p.DefaultItemID = "1"
	p.DefaultTaxCode = "20"
	return p
}

func TestSavePreferencesRefusesBadValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Preferences)
		field  string
		code   IssueCode
	}{
		{"no To field", func(p *Preferences) { p.To = FieldRef{} }, "to", FieldMissing},
		{"unknown entity", func(p *Preferences) { p.Email = FieldRef{Entity: "lead", Code: "email"} }, "email", FieldUnknown},
		{"field gone", func(p *Preferences) { p.TaxID = FieldRef{EntityOrganization, "deleted_hash"} }, "tax_id", FieldUnknown},
		{"due days negative", func(p *Preferences) { p.DueDays = -1 }, "due_days", DueDaysOutOfRange},
		{"due days too many", func(p *Preferences) { p.DueDays = 366 }, "due_days", DueDaysOutOfRange},
		{"no default item", func(p *Preferences) { p.DefaultItemID = "" }, "default_item", ItemMissing},
		{"no default tax code outside the US", func(p *Preferences) { p.DefaultTaxCode = "" }, "default_tax_code", TaxCodeMissing},
		{"next number zero", func(p *Preferences) { p.Numbering = Numbering{Mode: NumberPrefix, Prefix: "PD-"} }, "numbering.next", NumberingInvalid},
		{"number too long", func(p *Preferences) {
			p.Numbering = Numbering{Mode: NumberPrefix, Prefix: "A-VERY-LONG-PREFIX-", Next: 100}
		}, "numbering.prefix", NumberingInvalid},
		{"no numbering mode", func(p *Preferences) { p.Numbering = Numbering{} }, "numbering.mode", NumberingInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			before := *h.repo.prefs
			p := validPreferences()
			tt.change(&p)
			err := h.svc.SavePreferences(context.Background(), p, testFields)
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Issues) != 1 || ve.Issues[0].Field != tt.field || ve.Issues[0].Code != tt.code {
				t.Fatalf("err = %v, want one %s issue on %s", err, tt.code, tt.field)
			}
			if h.repo.saves != 0 || h.repo.prefs.DueDays != before.DueDays {
				t.Error("refused preferences were saved")
			}
		})
	}
}

func TestSavePreferences(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	p := validPreferences()
	p.DueDays = MaxDueDays
	p.TaxID = FieldRef{EntityOrganization, "vat_hash"}
	if err := h.svc.SavePreferences(ctx, p, testFields); err != nil {
		t.Fatal(err)
	}
	got, err := h.svc.Preferences(ctx)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("preferences = %+v, %v; want %+v", got, err, p)
	}

	h.acct.company.CustomTxnNumbers = false
	p.Numbering = Numbering{Mode: NumberPrefix, Prefix: "PD-", Next: 1}
	err = h.newService().SavePreferences(ctx, p, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Issues[0].Code != NumberingNotOnInQB {
		t.Errorf("err = %v, want custom numbers to be needed in QuickBooks", err)
	}
}

func TestPreferencesDefaultWhenNeverSaved(t *testing.T) {
	h := newHarness(t)
	h.repo.prefs = nil
	got, err := h.svc.Preferences(context.Background())
	if err != nil || !reflect.DeepEqual(got, DefaultPreferences()) {
		t.Errorf("preferences = %+v, %v; want the defaults", got, err)
	}
	want := Preferences{To: FieldRef{EntityOrganization, FieldName}, Address: FieldRef{EntityOrganization, FieldAddress},
		Email: FieldRef{EntityPerson, FieldEmail}, DueDays: 14, Numbering: Numbering{Mode: NumberQuickBooks}, WriteNote: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults = %+v, want %+v", got, want)
	}
}

func TestPreferenceChoices(t *testing.T) {
	h := newHarness(t)
	h.crm.fields = testFields
	pc, err := h.svc.PreferenceChoices(context.Background())
	if err != nil || len(pc.Fields) != 4 || len(pc.Items) != 2 || len(pc.TaxCodes) != 2 || pc.Company.HomeCurrency != "GBP" {
		t.Errorf("choices = %+v, %v", pc, err)
	}
}

func TestPreferencesNeverSavedStartFromQuickBooksDefaultItem(t *testing.T) {
	h := newHarness(t)
	h.repo.prefs = nil
	h.acct.company.DefaultItemID = "1"
	got, err := h.svc.Preferences(context.Background())
	if err != nil || got.DefaultItemID != "1" {
		t.Errorf("preferences = %+v, %v; want QuickBooks' default item 1", got, err)
	}
}
