package ui

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// stateAccounts answers State with a fixed state; the window calls nothing else of it in these tests.
type stateAccounts struct {
	invoicing.Accounts
	state invoicing.AccountsState
}

func (a stateAccounts) State(context.Context) (invoicing.AccountsState, error) { return a.state, nil }

func newAboutWindow(t *testing.T, commit, buildDate string) (*MainWindow, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	m := NewMainWindow(a, Deps{
		Version:   "1.2.3",
		Commit:    commit,
		BuildDate: buildDate,
		Language:  "en",
		Folders:   Folders{Data: "/home/rep/.local/share/dealbooks", Cache: "/home/rep/.cache/dealbooks", Logs: "/home/rep/.local/share/dealbooks/logs"},
		Settings:  &memorySettings{values: map[string]string{}},
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Accounts: stateAccounts{state: invoicing.AccountsState{
			Pipedrive:  invoicing.Connection{Provider: invoicing.Pipedrive, Connected: true, Account: "Acme Sales", AccountID: "7001", APIToken: true},
			QuickBooks: invoicing.Connection{Provider: invoicing.QuickBooks},
			HasClient:  map[invoicing.Provider]bool{invoicing.QuickBooks: true},
		}},
		Background: func(work func()) { work() },
	})
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m, a
}

// clickHelp runs the Help menu's item labelled label, as a rep choosing it would.
func clickHelp(t *testing.T, m *MainWindow, label string) {
	t.Helper()
	for _, menu := range m.window.MainMenu().Items {
		for _, item := range menu.Items {
			if item.Label == label {
				item.Action()
				return
			}
		}
	}
	t.Fatalf("no menu item %q", label)
}

func overlayTexts(m *MainWindow) string {
	var texts []string
	for _, o := range test.LaidOutObjects(m.window.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	return strings.Join(texts, "\n")
}

func TestAboutShowsVersionCommitAndBuildDate(t *testing.T) {
	tests := []struct {
		name              string
		commit, buildDate string
		want              []string
	}{
		{"release build", "0a1b2c3d4e5f", "2026-03-01T12:00:00Z", []string{"Version 1.2.3", "0a1b2c3d4e5f", "2026-03-01T12:00:00Z"}},
		{"go run", "", "", []string{"Version 1.2.3", "not a release build"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newAboutWindow(t, tt.commit, tt.buildDate)
			clickHelp(t, m, "About Dealbooks")
			texts := overlayTexts(m)
			for _, want := range tt.want {
				if !strings.Contains(texts, want) {
					t.Errorf("About shows %q, want it to include %q", texts, want)
				}
			}
		})
	}
}

func TestCopyDiagnosticsCopiesVersionsStatesAndFoldersButNoSecret(t *testing.T) {
	const secret = "qb-client-secret-d41d8cd98f00"
	t.Setenv("DEALBOOKS_QUICKBOOKS_CLIENT_SECRET", secret)
	t.Setenv("DEALBOOKS_QUICKBOOKS_CLIENT_ID", "ABqbclientid")
	m, a := newAboutWindow(t, "0a1b2c3d4e5f", "2026-03-01T12:00:00Z")

	clickHelp(t, m, "Copy diagnostics")

	got := a.Clipboard().Content()
	for _, want := range []string{
		"1.2.3", "0a1b2c3d4e5f", "2026-03-01T12:00:00Z", runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH,
		`connected (API token) to "Acme Sales"`, "QuickBooks:", "not connected",
		"/home/rep/.local/share/dealbooks", "/home/rep/.cache/dealbooks", "/home/rep/.local/share/dealbooks/logs",
		"DEALBOOKS_QUICKBOOKS_CLIENT_SECRET",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, got)
		}
	}
	for _, secretValue := range []string{secret, "ABqbclientid"} {
		if strings.Contains(got, secretValue) {
			t.Errorf("diagnostics hold the value of an environment variable, %q:\n%s", secretValue, got)
		}
	}
}
