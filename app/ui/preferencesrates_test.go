package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
)

// TestPreferencesEditTaxCodesByRate: outside the US the codes remembered per Pipedrive rate are listed,
// lowest rate first; choosing another code or "find by rate" is what Save keeps.
func TestPreferencesEditTaxCodesByRate(t *testing.T) {
	saved := invoicing.DefaultPreferences()
	saved.DefaultItemID, saved.DefaultTaxCode = "1", "3"
	saved.TaxCodeByRate = map[string]string{"20": "3", "5": "4"}
	prefs := &fakePreferences{prefs: saved, choices: testChoices(invoicing.TaxGlobal, false)}
	_, v := newPreferencesWindow(t, prefs)
	if v.taxRates == nil || len(v.taxRates.rows) != 2 || v.taxRates.keys[0] != "5" ||
		v.taxRates.rows[0].Selected != "Exempt" || v.taxRates.rows[1].Selected != "20% S" {
		t.Fatalf("tax rates shown: %+v", v.taxRates)
	}
	v.taxRates.rows[0].SetSelectedIndex(0) // find a code with 5 % again
	v.taxRates.rows[1].SetSelected("Exempt")
	test.Tap(v.save)
	want := map[string]string{"20": "4"}
	if len(prefs.saved) != 1 || !reflect.DeepEqual(prefs.saved[0].TaxCodeByRate, want) {
		t.Errorf("saved %+v, want tax codes %v", prefs.saved, want)
	}
}
