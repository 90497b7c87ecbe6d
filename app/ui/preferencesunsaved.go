package ui

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// This file asks, when the rep leaves Settings or closes the window with preferences changed but not saved,
// whether to save them, as a desktop app asks about an unsaved document: Save, Discard or Cancel.

// prefsForm is what the preferences form shows: the preferences it reads, and the texts of its number fields,
// which the preferences hold only once they are numbers.
type prefsForm struct {
	prefs                 invoicing.Preferences
	dueDays, prefix, next string
}

// form reads the form as it stands.
func (v *preferencesView) form() prefsForm {
	p, _ := v.read()
	return prefsForm{prefs: p, dueDays: v.dueDays.Text, prefix: v.prefix.Text, next: v.next.Text}
}

// unsaved reports whether the form shows changes that are not saved; false while it has no form (loading, or
// nothing to connect to).
func (v *preferencesView) unsaved() bool {
	return v != nil && v.save != nil && !reflect.DeepEqual(v.form(), v.shown)
}

// discard puts the preferences last read or saved back on the form.
func (v *preferencesView) discard() { v.build(v.choices, v.saved) }

// onTabSelected asks about unsaved preferences when the rep leaves Settings. Tabs cannot refuse to change,
// so Cancel goes back to Settings, and a Save that fails does too, with the problems shown there.
func (m *MainWindow) onTabSelected(*container.TabItem) {
	left := m.tab
	m.tab = m.tabs.SelectedIndex()
	if left != tabSettings || m.tab == tabSettings || !m.settings.preferences.unsaved() {
		return
	}
	back := func() { m.tabs.SelectIndex(tabSettings) }
	m.askUnsavedPreferences(func() {}, back)
}

// askUnsavedPreferences asks whether to save the changed preferences. Save saves them and then goes on, or,
// when they could not be saved, stays; Discard forgets the changes and goes on; Cancel (and Esc) stays.
func (m *MainWindow) askUnsavedPreferences(goOn, stay func()) {
	v := m.settings.preferences
	body := widget.NewLabel(lang.X("prefs.unsaved.body", "You changed the invoice preferences but did not save them."))
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(lang.X("prefs.unsaved.title", "Save changes to preferences?"), body, m.window)
	cancel := func() {
		d.Hide()
		stay()
	}
	save := &widget.Button{Text: lang.X("prefs.unsaved.save", "Save"), Importance: widget.HighImportance, OnTapped: func() {
		d.Hide()
		v.saveThen(func(saved bool) {
			if saved {
				goOn()
				return
			}
			m.tabs.SelectIndex(tabSettings) // where the problems, or why saving failed, are shown
			stay()
		})
	}}
	discard := widget.NewButton(lang.X("prefs.unsaved.discard", "Discard"), func() {
		d.Hide()
		v.discard()
		goOn()
	})
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.X("action.cancel", "Cancel"), cancel), discard, save})
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	m.showDialogEsc(d, cancel, save)
}
