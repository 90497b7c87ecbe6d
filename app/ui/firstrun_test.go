package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// buttonTexts lists the visible buttons in the Deals tab.
func dealsButtons(m *MainWindow) []string {
	var texts []string
	walk(m.tabs.Items[tabDeals].Content, func(o any) {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			texts = append(texts, b.Text)
		}
	})
	return texts
}

func TestFirstRunOffersWhatWorksWithWhatIsKnown(t *testing.T) {
	pipedriveOnly := invoicing.AccountsState{Pipedrive: invoicing.Connection{Provider: invoicing.Pipedrive, Connected: true, Account: "Acme Sales"}}
	pipedriveAndApps := pipedriveOnly
	pipedriveAndApps.HasClient = appsKnown.HasClient
	cases := []struct {
		name  string
		state invoicing.AccountsState
		want  []string
	}{
		{"nothing known", invoicing.AccountsState{}, []string{"Connect with an API token…", "Try the demo"}},
		{"developer apps known", appsKnown, []string{"Connect Pipedrive", "Connect with an API token…", "Try the demo"}},
		{"Pipedrive by token, no Intuit app", pipedriveOnly, []string{"Set up QuickBooks…"}},
		{"Pipedrive by token, apps known", pipedriveAndApps, []string{"Connect a company", "Connect a sandbox company"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := newAccountsWindow(t, c.state, nil)
			if got := dealsButtons(m); !slices.Equal(got, c.want) {
				t.Errorf("Deals offers %q, want %q", got, c.want)
			}
		})
	}
}

func TestFirstRunByTokenThenGuidedQuickBooksSetup(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	tap(t, m.tabs.Items[tabDeals].Content, "Connect with an API token…")
	if findButton(m.window.Canvas().Overlays().Top(), "Open that Pipedrive page") == nil {
		t.Error("the token dialog has no button opening Pipedrive's API page")
	}
	f := m.window.Canvas().Focused().(*textField)
	test.Type(f, "0123abcd")
	key(m, "Return")
	if got := dealsButtons(m); !slices.Equal(got, []string{"Set up QuickBooks…"}) {
		t.Fatalf("after the token, Deals offers %q", got)
	}

	tap(t, m.tabs.Items[tabDeals].Content, "Set up QuickBooks…")
	if findButton(m.conn.quickbooksSetup, "Copy") == nil {
		t.Fatal("the setup has no Copy button for the redirect URI")
	}
	id := m.window.Canvas().Focused().(*textField)
	test.Tap(findButton(m.conn.quickbooksSetup, "Copy"))
	if got := m.app.Clipboard().Content(); got != "http://localhost:53682/callback" {
		t.Errorf("Copy put %q on the clipboard", got)
	}
	test.Type(id, "ABshort")
	if save := dialogButton(t, m, "Save"); !save.Disabled() {
		t.Error("Save is allowed with half a Client ID")
	}
	id.SetText("ABcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ")
	var secret *textField
	walk(m.window.Canvas().Overlays().Top(), func(o any) {
		if f, ok := o.(*textField); ok && f.Password {
			secret = f
		}
	})
	test.Type(secret, "abcdefghijklmnopqrstuvwxyz0123456789ABCD")
	test.Tap(dialogButton(t, m, "Save"))
	if got := accounts.called(); len(got) != 2 || got[1] != "SaveClient quickbooks ABcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ abcdefghijklmnopqrstuvwxyz0123456789ABCD" {
		t.Errorf("calls = %q", got)
	}
}

func TestDealsLoadByThemselvesOnceConnected(t *testing.T) {
	svc := sampleService()
	deals := svc.deals
	svc.deals = nil
	svc.fetchingDeals = func(context.Context) error { svc.deals = deals; return nil }
	m := newScreensWindow(t, svc, &savedFile{})
	if got := len(m.deals.picker.all); got != len(deals) {
		t.Errorf("the Deals tab lists %d deals without being asked, want %d", got, len(deals))
	}
}
