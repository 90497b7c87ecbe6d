package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// memorySettings is a SettingsStore in memory.
type memorySettings struct {
	mu     sync.Mutex
	values map[string]string
	fail   error
}

func (s *memorySettings) Setting(_ context.Context, key string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.values[key]
	return v, ok, s.fail
}

func (s *memorySettings) SetSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.values[key] = value
	return nil
}

func (s *memorySettings) get(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[key]
}

func newTestWindow(t *testing.T, settings *memorySettings, language string) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	m := NewMainWindow(a, Deps{
		Version:    "1.2.3",
		Language:   language,
		Folders:    Folders{Data: "/data/dealbooks", Cache: "/cache/dealbooks", Logs: "/data/dealbooks/logs"},
		Settings:   settings,
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		Background: func(work func()) { work() },
	})
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m
}

func tabTexts(m *MainWindow) []string {
	var texts []string
	for _, item := range m.tabs.Items {
		texts = append(texts, item.Text)
	}
	return texts
}

func TestWindowShowsNavigationAndBothConnectionStates(t *testing.T) {
	m, _ := newAccountsWindow(t, invoicing.AccountsState{
		Pipedrive: invoicing.Connection{Provider: invoicing.Pipedrive, Connected: true, Account: "Acme Sales"},
	}, nil)

	if got, want := tabTexts(m), []string{"Deals", "Invoices", "Settings"}; !slices.Equal(got, want) {
		t.Errorf("navigation = %q, want %q", got, want)
	}
	if got := m.pipedriveState.Text; got != "Pipedrive: Acme Sales" {
		t.Errorf("Pipedrive state = %q", got)
	}
	if got := m.quickbooksState.Text; got != "QuickBooks: not connected" {
		t.Errorf("QuickBooks state = %q", got)
	}
	if m.window.Title() != "Dealbooks" {
		t.Errorf("title = %q", m.window.Title())
	}

	m.tabs.SelectIndex(tabSettings)
	if got := m.settings.quickbooks.Text; got != "QuickBooks: not connected" {
		t.Errorf("Settings shows QuickBooks as %q", got)
	}
}

func TestSwitchingLanguageChangesVisibleStringsAndIsSaved(t *testing.T) {
	settings := &memorySettings{values: map[string]string{}}
	m := newTestWindow(t, settings, "en")
	m.tabs.SelectIndex(tabSettings)

	m.settings.language.SetSelected("Nederlands")

	if got, want := tabTexts(m), []string{"Deals", "Facturen", "Instellingen"}; !slices.Equal(got, want) {
		t.Errorf("navigation after choosing Dutch = %q, want %q", got, want)
	}
	if got := m.quickbooksState.Text; got != "QuickBooks: niet gekoppeld" {
		t.Errorf("status bar after choosing Dutch = %q", got)
	}
	if m.tabs.SelectedIndex() != tabSettings {
		t.Errorf("switching language left Settings for tab %d", m.tabs.SelectedIndex())
	}
	if got := settings.get(settingLanguage); got != "nl" {
		t.Errorf("saved language = %q, want nl", got)
	}

	m.settings.language.SetSelected("English")
	if got := m.tabs.Items[tabInvoices].Text; got != "Invoices" {
		t.Errorf("navigation after choosing English again = %q", got)
	}
}

func TestSavedLanguageIsUsedFromTheFirstScreen(t *testing.T) {
	m := newTestWindow(t, &memorySettings{values: map[string]string{}}, "nl")
	if got := m.tabs.Items[tabSettings].Text; got != "Instellingen" {
		t.Errorf("first screen in saved Dutch shows %q", got)
	}
	if got := m.settings.language.Selected; got != "Nederlands" {
		t.Errorf("language picker shows %q", got)
	}
}

func TestLanguageThatCannotBeSavedIsStillShownAndExplained(t *testing.T) {
	settings := &memorySettings{values: map[string]string{}, fail: errors.New("disk full")}
	m := newTestWindow(t, settings, "en")

	m.settings.language.SetSelected("Nederlands")

	if got := m.tabs.Items[tabInvoices].Text; got != "Facturen" {
		t.Errorf("navigation = %q, want the chosen language even though saving failed", got)
	}
	if !overlayShows(m, "Taal niet bewaard") {
		t.Error("no dialog tells the rep the choice was not saved")
	}
}

func TestProblemWindowNamesTheFileAndOffersOnlyQuit(t *testing.T) {
	a := test.NewTempApp(t)
	w := NewProblemWindow(a, StartupProblem{File: "/data/dealbooks/dealbooks.db", Kind: ProblemNewer})
	var labels, buttons []string
	walk(w.Content(), func(o any) {
		switch o := o.(type) {
		case *widget.Label:
			labels = append(labels, o.Text)
		case *widget.Button:
			if o.Text != "" { // icon-only buttons inside widgets, such as a selectable label's, are not actions
				buttons = append(buttons, o.Text)
			}
		}
	})
	if !contains(labels, "/data/dealbooks/dealbooks.db") || !contains(labels, "Install that version or a later one and start it again. Dealbooks has not changed the file.") {
		t.Errorf("labels = %q, want the file and the advice", labels)
	}
	if !slices.Equal(buttons, []string{"Quit"}) {
		t.Errorf("buttons = %q, want only Quit", buttons)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
