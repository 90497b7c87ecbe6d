package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
)

const unsavedTitle = "Save changes to preferences?"

// savedPreferencesWindow opens Settings on preferences that can be saved as they are: the defaults with an item.
func savedPreferencesWindow(t *testing.T) (*MainWindow, *fakePreferences) {
	t.Helper()
	p := invoicing.DefaultPreferences()
	p.DefaultItemID = "1"
	prefs := &fakePreferences{prefs: p, choices: testChoices(invoicing.TaxUS, false)}
	m, _ := newPreferencesWindow(t, prefs)
	return m, prefs
}

func TestLeavingOrClosingWithoutChangesAsksNothing(t *testing.T) {
	m, prefs := savedPreferencesWindow(t)
	v := m.settings.preferences
	v.dueDays.SetText("30")
	v.dueDays.SetText("14") // typed and put back: nothing to save

	m.tabs.SelectIndex(tabDeals)
	if overlayShows(m, unsavedTitle) || m.tabs.SelectedIndex() != tabDeals {
		t.Fatalf("leaving unchanged preferences asked (%v) or stayed (tab %d)", overlayShows(m, unsavedTitle), m.tabs.SelectedIndex())
	}
	m.tabs.SelectIndex(tabSettings)
	m.onClose()
	if !m.bg.closed() || len(prefs.saved) != 0 {
		t.Errorf("closing: closed %v, saved %d times; want closed, nothing saved", m.bg.closed(), len(prefs.saved))
	}
}

func TestLeavingSettingsWithUnsavedPreferencesAsks(t *testing.T) {
	for _, c := range []struct {
		answer  string
		saved   bool // the change was saved
		tab     int  // where the rep ends up
		dueDays string
	}{
		{"Save", true, tabDeals, "30"},
		{"Discard", false, tabDeals, "14"},
		{"Cancel", false, tabSettings, "30"},
	} {
		t.Run(c.answer, func(t *testing.T) {
			m, prefs := savedPreferencesWindow(t)
			m.settings.preferences.dueDays.SetText("30")

			m.tabs.SelectIndex(tabDeals)
			if !overlayShows(m, unsavedTitle) {
				t.Fatal("leaving changed preferences did not ask to save them")
			}
			test.Tap(overlayButton(t, m, c.answer))

			if saved := len(prefs.saved) == 1 && prefs.saved[0].DueDays == 30; saved != c.saved {
				t.Errorf("saved %v (%d saves), want %v", saved, len(prefs.saved), c.saved)
			}
			if got := m.tabs.SelectedIndex(); got != c.tab {
				t.Errorf("the rep is on tab %d, want %d", got, c.tab)
			}
			if got := m.settings.preferences.dueDays.Text; got != c.dueDays {
				t.Errorf("the form shows due days %q, want %q", got, c.dueDays)
			}
			if changed := m.settings.preferences.unsaved(); changed != (c.answer == "Cancel") {
				t.Errorf("after %s the form counts as changed: %v", c.answer, changed)
			}
		})
	}
}

func TestClosingTheWindowWithUnsavedPreferencesAsks(t *testing.T) {
	for _, c := range []struct {
		answer string
		saved  bool
		closed bool
	}{
		{"Save", true, true},
		{"Discard", false, true},
		{"Cancel", false, false},
	} {
		t.Run(c.answer, func(t *testing.T) {
			m, prefs := savedPreferencesWindow(t)
			m.settings.preferences.note.SetChecked(false)

			m.onClose()
			if m.bg.closed() || !overlayShows(m, unsavedTitle) {
				t.Fatalf("closing with changed preferences: closed %v, asked %v; want asked first", m.bg.closed(), overlayShows(m, unsavedTitle))
			}
			test.Tap(overlayButton(t, m, c.answer))

			if saved := len(prefs.saved) == 1 && !prefs.saved[0].WriteNote; saved != c.saved {
				t.Errorf("saved %v (%d saves), want %v", saved, len(prefs.saved), c.saved)
			}
			if m.bg.closed() != c.closed {
				t.Errorf("window closed %v, want %v", m.bg.closed(), c.closed)
			}
		})
	}
}

func TestASaveThatFailsOnLeavingKeepsTheRepInSettings(t *testing.T) {
	m, prefs := savedPreferencesWindow(t)
	prefs.refuse = errors.New("disk full")
	v := m.settings.preferences
	v.dueDays.SetText("30")

	m.onClose()
	test.Tap(overlayButton(t, m, "Save"))

	if m.bg.closed() || m.tabs.SelectedIndex() != tabSettings {
		t.Errorf("after a failed save: closed %v, tab %d; want open on Settings", m.bg.closed(), m.tabs.SelectedIndex())
	}
	if v.status.Text != "The preferences could not be saved, and nothing was changed. Try again." || v.dueDays.Text != "30" {
		t.Errorf("Settings says %q with due days %q", v.status.Text, v.dueDays.Text)
	}
}

func TestTheUnsavedPreferencesQuestionIsInDutch(t *testing.T) {
	m, _ := savedPreferencesWindow(t)
	if err := m.useLanguage("nl"); err != nil {
		t.Fatal(err)
	}
	m.build()
	m.settings.preferences.dueDays.SetText("30")
	m.tabs.SelectIndex(tabDeals)
	if !overlayShows(m, "Wijzigingen in de voorkeuren bewaren?") {
		t.Error("the question is not asked in Dutch")
	}
	for _, b := range []string{"Bewaren", "Niet bewaren", "Annuleren"} {
		overlayButton(t, m, b)
	}
}

// TestSwitchingLanguageWithUnsavedPreferencesAsks: switching the language rebuilds the window, so changed
// preferences are asked about first; Cancel keeps both the language and what was typed.
func TestSwitchingLanguageWithUnsavedPreferencesAsks(t *testing.T) {
	for _, c := range []struct {
		answer   string
		saved    bool
		language string
	}{
		{"Save", true, "nl"},
		{"Discard", false, "nl"},
		{"Cancel", false, "en"},
	} {
		t.Run(c.answer, func(t *testing.T) {
			m, prefs := savedPreferencesWindow(t)
			m.tabs.SelectIndex(tabSettings)
			m.settings.preferences.dueDays.SetText("30")

			m.settings.language.SetSelectedIndex(m.settings.languageIndex("nl"))
			if !overlayShows(m, unsavedTitle) {
				t.Fatal("switching the language with changed preferences did not ask to save them")
			}
			if m.language != "en" {
				t.Fatalf("the language switched to %q before the answer", m.language)
			}
			test.Tap(overlayButton(t, m, c.answer))

			if saved := len(prefs.saved) == 1 && prefs.saved[0].DueDays == 30; saved != c.saved {
				t.Errorf("saved %v (%d saves), want %v", saved, len(prefs.saved), c.saved)
			}
			if m.language != c.language {
				t.Errorf("after %s the language is %q, want %q", c.answer, m.language, c.language)
			}
			if c.answer == "Cancel" {
				if got := m.settings.preferences.dueDays.Text; got != "30" {
					t.Errorf("after Cancel the form shows due days %q, want what was typed, 30", got)
				}
				if got := m.settings.language.Selected; got != m.settings.language.Options[m.settings.languageIndex("en")] {
					t.Errorf("after Cancel the language select shows %q", got)
				}
			}
		})
	}
}
