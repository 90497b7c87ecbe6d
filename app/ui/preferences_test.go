package ui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// fakePreferences is a PreferenceService in memory. SavePreferences runs the domain's own check, as the
// Service does, and then refuse, if set.
type fakePreferences struct {
	prefs     invoicing.Preferences
	choices   invoicing.PreferenceChoices
	loadErr   error
	refuse    error
	createErr error // CreateDealStatusFields' answer; nil adds the fields statusFieldCode and amountFieldCode

	mu    sync.Mutex
	saved []invoicing.Preferences
}

func (f *fakePreferences) Preferences(context.Context) (invoicing.Preferences, error) {
	return f.prefs, f.loadErr
}

func (f *fakePreferences) PreferenceChoices(context.Context) (invoicing.PreferenceChoices, error) {
	return f.choices, f.loadErr
}

func (f *fakePreferences) CreateDealStatusFields(context.Context) (invoicing.DealStatusFields, error) {
	if f.createErr != nil {
		return invoicing.DealStatusFields{}, f.createErr
	}
	return invoicing.DealStatusFields{Status: statusFieldCode, Amount: amountFieldCode}, nil
}

func (f *fakePreferences) SavePreferences(_ context.Context, p invoicing.Preferences, fields []invoicing.Field) error {
	if err := invoicing.CheckPreferences(p, fields, f.choices.Company, true); err != nil {
		return err
	}
	if f.refuse != nil {
		return f.refuse
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved = append(f.saved, p)
	return nil
}

const taxIDCode = "9f2c1d6e0b7a4c3e8d5f1a2b3c4d5e6f7a8b9c0d"

func testChoices(model invoicing.TaxModel, customNumbers bool) invoicing.PreferenceChoices {
	return invoicing.PreferenceChoices{
		Fields: []invoicing.Field{
			{Entity: invoicing.EntityDeal, Code: invoicing.FieldTitle, Name: "Title"},
			{Entity: invoicing.EntityPerson, Code: invoicing.FieldEmail, Name: "Email"},
			{Entity: invoicing.EntityPerson, Code: invoicing.FieldName, Name: "Name"},
			{Entity: invoicing.EntityOrganization, Code: taxIDCode, Name: "Tax ID", Custom: true},
			{Entity: invoicing.EntityOrganization, Code: invoicing.FieldAddress, Name: "Address"},
			{Entity: invoicing.EntityOrganization, Code: invoicing.FieldName, Name: "Name"},
		},
		Items:    []invoicing.Item{{ID: "1", Name: "Services"}, {ID: "2", Name: "Hours"}},
		TaxCodes: []invoicing.TaxCode{{ID: "3", Name: "20% S"}, {ID: "4", Name: "Exempt"}},
		Company:  invoicing.Company{Name: "Larkspur", TaxModel: model, CustomTxnNumbers: customNumbers},
	}
}

func newPreferencesWindow(t *testing.T, prefs *fakePreferences) (*MainWindow, *preferencesView) {
	t.Helper()
	m := newDepsWindow(t, Deps{Settings: &memorySettings{values: map[string]string{}}, Preferences: prefs})
	m.tabs.SelectIndex(tabSettings)
	return m, m.settings.preferences
}

// problems are the problem lines showing, by field.
func (v *preferencesView) shownProblems() map[string]string {
	out := map[string]string{}
	for key, l := range v.problems {
		if l.Visible() {
			out[key] = l.Text
		}
	}
	return out
}

func TestPreferencesStartFromTheSavedOnesAndSaveWhole(t *testing.T) {
	prefs := &fakePreferences{prefs: invoicing.DefaultPreferences(), choices: testChoices(invoicing.TaxUS, false)}
	_, v := newPreferencesWindow(t, prefs)

	for _, c := range []struct {
		s    *widget.Select
		want string
	}{{v.to, "Organization – Name"}, {v.address, "Organization – Address"}, {v.email, "Person – Email"}, {v.taxID, "None"}} {
		if c.s.Selected != c.want {
			t.Errorf("select shows %q, want %q", c.s.Selected, c.want)
		}
	}
	if v.dueDays.Text != "14" || !v.note.Checked {
		t.Errorf("due days %q, note %v; want the defaults 14 and on", v.dueDays.Text, v.note.Checked)
	}
	if got := v.shownProblems(); len(got) != 1 || got[problemItem] != "Choose the QuickBooks item for products that have none." {
		t.Errorf("problems = %q, want only the missing item", got)
	}
	if !v.save.Disabled() {
		t.Error("Save is allowed with the item missing")
	}

	v.item.SetSelected("Hours")
	v.taxID.SetSelected("Organization – Tax ID")
	v.dueDays.SetText("30")
	v.taxable.SetChecked(true)
	if got := v.shownProblems(); len(got) != 0 {
		t.Errorf("problems = %q after fixing them", got)
	}
	test.Tap(v.save)

	want := invoicing.DefaultPreferences()
	want.TaxID = invoicing.FieldRef{Entity: invoicing.EntityOrganization, Code: taxIDCode}
	want.DueDays = 30
	want.DefaultItemID = "2"
	want.TaxableByDefault = true
	if len(prefs.saved) != 1 || !reflect.DeepEqual(prefs.saved[0], want) {
		t.Errorf("saved %+v, want %+v", prefs.saved, want)
	}
	if v.status.Text != "Preferences saved." {
		t.Errorf("status = %q", v.status.Text)
	}
}

func TestPreferencesRefuseBadValuesInlineAndSaveNothing(t *testing.T) {
	cases := []struct {
		name    string
		company invoicing.PreferenceChoices
		change  func(v *preferencesView)
		field   string
		want    string
	}{
		{"due days above 365", testChoices(invoicing.TaxUS, true), func(v *preferencesView) { v.dueDays.SetText("366") },
			problemDueDays, "Enter a whole number of days from 0 to 365."},
		{"negative due days", testChoices(invoicing.TaxUS, true), func(v *preferencesView) { v.dueDays.SetText("-1") },
			problemDueDays, "Enter a whole number of days from 0 to 365."},
		{"due days not a number", testChoices(invoicing.TaxUS, true), func(v *preferencesView) { v.dueDays.SetText("ten") },
			problemDueDays, "Enter a whole number of days from 0 to 365."},
		{"no item", testChoices(invoicing.TaxUS, true), func(v *preferencesView) { v.item.ClearSelected() },
			problemItem, "Choose the QuickBooks item for products that have none."},
		{"no tax code outside the US", testChoices(invoicing.TaxGlobal, true), func(v *preferencesView) { v.taxCode.ClearSelected() },
			problemTax, "Choose a tax code; QuickBooks needs one on every line outside the US."},
		{"next number zero", testChoices(invoicing.TaxUS, true), func(v *preferencesView) {
			v.numbering.SetSelected("A prefix and the next number")
			v.prefix.SetText("PD-")
			v.next.SetText("0")
		}, problemNumbering, "The next number must be a whole number, 1 or more."},
		{"next number missing", testChoices(invoicing.TaxUS, true), func(v *preferencesView) {
			v.numbering.SetSelected("A prefix and the next number")
			v.next.SetText("")
		}, problemNumbering, "The next number must be a whole number, 1 or more."},
		{"number too long", testChoices(invoicing.TaxUS, true), func(v *preferencesView) {
			v.numbering.SetSelected("A prefix and the next number")
			v.prefix.SetText("DEALBOOKS-INVOICE-")
			v.next.SetText("10000")
		}, problemNumbering, "Prefix and number together may have at most 21 characters."},
		{"own numbers off in QuickBooks", testChoices(invoicing.TaxUS, false), func(v *preferencesView) {
			v.numbering.SetSelected("A prefix and the next number")
			v.prefix.SetText("PD-")
			v.next.SetText("1000")
		}, problemNumbering, "Turn on custom transaction numbers in QuickBooks first, or let QuickBooks number the invoices."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			saved := invoicing.DefaultPreferences()
			saved.DefaultItemID = "1"
			saved.DefaultTaxCode = "3"
			prefs := &fakePreferences{prefs: saved, choices: tc.company}
			_, v := newPreferencesWindow(t, prefs)
			if got := v.shownProblems(); len(got) != 0 || v.save.Disabled() {
				t.Fatalf("problems %q before any change", got)
			}
			tc.change(v)
			if got := v.shownProblems(); len(got) != 1 || got[tc.field] != tc.want {
				t.Errorf("problems = %q, want %s: %q", got, tc.field, tc.want)
			}
			if !v.save.Disabled() {
				t.Error("Save is still allowed")
			}
			v.onSave()
			if len(prefs.saved) != 0 {
				t.Errorf("saved %+v despite the problem", prefs.saved)
			}
		})
	}
}

func TestPreferencesWithAFieldThatNoLongerExists(t *testing.T) {
	saved := invoicing.DefaultPreferences()
	saved.DefaultItemID = "1"
	saved.To = invoicing.FieldRef{Entity: invoicing.EntityOrganization, Code: "deleted0000000000000000000000000000000000"}
	prefs := &fakePreferences{prefs: saved, choices: testChoices(invoicing.TaxUS, false)}
	_, v := newPreferencesWindow(t, prefs)
	if got := v.shownProblems(); got[problemTo] != "Choose the Pipedrive field that fills this." {
		t.Errorf("problems = %q, want To to be chosen again", got)
	}
	if !v.save.Disabled() {
		t.Error("Save is allowed without a field for To")
	}
}

func TestPreferencesTheServiceRefusesAreShownInline(t *testing.T) {
	saved := invoicing.DefaultPreferences()
	saved.DefaultItemID = "1"
	prefs := &fakePreferences{prefs: saved, choices: testChoices(invoicing.TaxUS, false),
		refuse: &invoicing.ValidationError{Issues: []invoicing.Issue{{Field: "email", Code: invoicing.FieldUnknown, Message: "gone"}}}}
	_, v := newPreferencesWindow(t, prefs)
	test.Tap(v.save)
	if got := v.shownProblems(); got[problemEmail] != "That Pipedrive field no longer exists; choose another." {
		t.Errorf("problems = %q", got)
	}
	if v.status.Text != "Nothing was saved; correct the fields marked above." {
		t.Errorf("status = %q", v.status.Text)
	}

	prefs.refuse = errors.New("disk full")
	v.dueDays.SetText("15")
	test.Tap(v.save)
	if v.status.Text != "The preferences could not be saved, and nothing was changed. Try again." {
		t.Errorf("status = %q", v.status.Text)
	}
	if len(prefs.saved) != 0 {
		t.Errorf("saved %+v", prefs.saved)
	}
}

func TestPreferencesWithoutConnectedAccountsSayWhatToDo(t *testing.T) {
	prefs := &fakePreferences{loadErr: errors.New("not connected")}
	m, v := newPreferencesWindow(t, prefs)
	found := false
	walk(v.body, func(o any) {
		if l, ok := o.(*widget.Label); ok && l.Text == "Connect Pipedrive and QuickBooks first; then the fields to choose from are read from them." {
			found = true
		}
	})
	if !found {
		t.Error("no sentence says to connect first")
	}
	prefs.loadErr = nil
	prefs.prefs = invoicing.DefaultPreferences()
	prefs.choices = testChoices(invoicing.TaxUS, false)
	tap(t, m.settings.content, "Try again")
	if v.to == nil || v.to.Selected != "Organization – Name" {
		t.Error("Try again did not show the form")
	}
}

// The codes of the deal fields the fake Pipedrive adds for "Create them in Pipedrive".
const (
	statusFieldCode = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
	amountFieldCode = "1b2c3d4e5f60718293a4b5c6d7e8f90123456789"
)

func TestPreferencesChooseTheDealFieldsOrCreateThem(t *testing.T) {
	choices := testChoices(invoicing.TaxUS, false)
	const oldStatus = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f"
	choices.Fields = append(choices.Fields,
		invoicing.Field{Entity: invoicing.EntityDeal, Code: oldStatus, Name: "Billing state", Type: "varchar", Custom: true},
		invoicing.Field{Entity: invoicing.EntityDeal, Code: "6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a", Name: "Close date", Type: "date", Custom: true})
	start := invoicing.DefaultPreferences()
	start.DefaultItemID = "1"
	prefs := &fakePreferences{prefs: start, choices: choices}
	_, v := newPreferencesWindow(t, prefs)

	if v.dealStatus.Selected != "None: not written" || v.dealAmount.Selected != "None: not written" {
		t.Errorf("with none chosen the selects show %q, %q", v.dealStatus.Selected, v.dealAmount.Selected)
	}
	if want := []string{"None: not written", "Billing state"}; !reflect.DeepEqual(v.dealStatus.Options, want) {
		t.Errorf("status field options = %q, want the text deal fields %q", v.dealStatus.Options, want)
	}
	v.dealStatus.SetSelected("Billing state")
	test.Tap(v.save)
	if len(prefs.saved) != 1 || prefs.saved[0].DealFields != (invoicing.DealStatusFields{Status: oldStatus}) {
		t.Fatalf("saved %+v, want the existing status field alone", prefs.saved)
	}

	// A rep who may not add fields is told what an admin must do; the choice stays.
	prefs.createErr = fmt.Errorf("add: %w", &invoicing.SharedFieldError{Entity: invoicing.EntityDeal, Name: invoicing.InvoiceStatusField})
	test.Tap(v.createFields)
	if !strings.Contains(v.status.Text, "ask a Pipedrive admin") || v.dealStatus.Selected != "Billing state" {
		t.Errorf("after a refused Create: status %q, status field %q", v.status.Text, v.dealStatus.Selected)
	}

	prefs.createErr = nil
	test.Tap(v.createFields)
	if v.dealStatus.Selected != invoicing.InvoiceStatusField || v.dealAmount.Selected != invoicing.InvoicedAmountField {
		t.Errorf("after Create the selects show %q, %q", v.dealStatus.Selected, v.dealAmount.Selected)
	}
	test.Tap(v.save)
	want := invoicing.DealStatusFields{Status: statusFieldCode, Amount: amountFieldCode}
	if len(prefs.saved) != 2 || prefs.saved[1].DealFields != want {
		t.Errorf("saved %+v, want the created fields %+v", prefs.saved, want)
	}
}
