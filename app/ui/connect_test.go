package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// fakeAccounts is invoicing.Accounts in memory: connecting records the account in its state, as the real
// one does, unless err is set.
type fakeAccounts struct {
	err error
	// waiting, when set, runs while a browser sign-in waits, as the rep would act on the progress dialog;
	// the sign-in then ends as its context says.
	waiting func()

	mu           sync.Mutex
	state        invoicing.AccountsState
	calls        []string
	token        string
	disconnected map[invoicing.Provider]bool // the keepHistory of each disconnect
}

func (a *fakeAccounts) record(call string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, call)
}

func (a *fakeAccounts) State(context.Context) (invoicing.AccountsState, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state, nil
}

func (a *fakeAccounts) connect(p invoicing.Provider, account string) (invoicing.Connection, error) {
	if a.err != nil {
		return invoicing.Connection{}, a.err
	}
	c := invoicing.Connection{Provider: p, Connected: true, Account: account, AccountID: "4620816365", User: "Ann Lee", Sandbox: true}
	a.mu.Lock()
	if p == invoicing.Pipedrive {
		a.state.Pipedrive = c
	} else {
		a.state.QuickBooks = c
	}
	a.mu.Unlock()
	return c, nil
}

func (a *fakeAccounts) ConnectPipedrive(context.Context) (invoicing.Connection, error) {
	a.record("ConnectPipedrive")
	return a.connect(invoicing.Pipedrive, "Acme Sales")
}

func (a *fakeAccounts) ConnectPipedriveToken(_ context.Context, token string) (invoicing.Connection, error) {
	a.record("ConnectPipedriveToken")
	c, err := a.connect(invoicing.Pipedrive, "Acme Sales")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.token = token
	a.state.Pipedrive.APIToken = err == nil
	return c, err
}

func (a *fakeAccounts) ConnectQuickBooks(ctx context.Context, sandbox bool) (invoicing.Connection, error) {
	if sandbox {
		a.record("ConnectQuickBooks sandbox")
	} else {
		a.record("ConnectQuickBooks")
	}
	if a.waiting != nil {
		a.waiting()
		if ctx.Err() != nil {
			return invoicing.Connection{}, &invoicing.ConnectError{Provider: invoicing.QuickBooks, Reason: invoicing.Cancelled, Err: ctx.Err()}
		}
	}
	return a.connect(invoicing.QuickBooks, "Larkspur Supplies")
}

func (a *fakeAccounts) PasteSignIn(_ context.Context, p invoicing.Provider, _ bool) (func(context.Context, string) (invoicing.Connection, error), error) {
	a.record("PasteSignIn")
	return func(_ context.Context, pasted string) (invoicing.Connection, error) {
		a.record("finish " + pasted)
		return a.connect(p, "Larkspur Supplies")
	}, nil
}

func (a *fakeAccounts) Disconnect(_ context.Context, p invoicing.Provider, keepHistory bool) error {
	a.record("Disconnect")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.disconnected[p] = keepHistory
	return a.err
}

func (a *fakeAccounts) SaveClient(_ context.Context, p invoicing.Provider, id, secret string) error {
	a.record("SaveClient " + string(p) + " " + id + " " + secret)
	return nil
}

func (a *fakeAccounts) TryDemo(context.Context) error {
	a.record("TryDemo")
	return nil
}

func (a *fakeAccounts) called() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

func newDepsWindow(t *testing.T, deps Deps) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	if err := LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	deps.Version = "1.2.3"
	deps.Language = "en"
	deps.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	deps.Background = func(work func()) { work() }
	m := NewMainWindow(a, deps)
	t.Cleanup(func() { _ = UseLanguage("en") })
	return m
}

func newAccountsWindow(t *testing.T, state invoicing.AccountsState, err error) (*MainWindow, *fakeAccounts) {
	t.Helper()
	settings := &memorySettings{values: map[string]string{}}
	accounts := &fakeAccounts{state: state, err: err, disconnected: map[invoicing.Provider]bool{}}
	m := newDepsWindow(t, Deps{Settings: settings, Accounts: accounts, Demo: state.Demo})
	return m, accounts
}

// findButton returns the visible button with text in root, or nil.
func findButton(root fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	walk(root, func(o any) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && found == nil {
			found = b
		}
	})
	return found
}

// dialogButton returns the button with text on the topmost dialog.
func dialogButton(t *testing.T, m *MainWindow, text string) *widget.Button {
	t.Helper()
	if top := m.window.Canvas().Overlays().Top(); top != nil {
		if b := findButton(top, text); b != nil {
			return b
		}
	}
	t.Fatalf("no dialog button %q", text)
	return nil
}

func tap(t *testing.T, root fyne.CanvasObject, text string) {
	t.Helper()
	b := findButton(root, text)
	if b == nil {
		t.Fatalf("no button %q", text)
	}
	if b.Disabled() {
		t.Fatalf("button %q is disabled", text)
	}
	test.Tap(b)
}

func TestConnectButtonsConnectAndShowTheAccounts(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	changed := 0
	m.deps.AccountsChanged = func() { changed++ }
	m.tabs.SelectIndex(tabSettings)
	settings := m.settings.content

	if b := findButton(settings, "Disconnect"); b == nil || !b.Disabled() {
		t.Error("Disconnect is offered while nothing is connected")
	}
	tap(t, settings, "Connect in the browser")
	tap(t, m.settings.content, "Connect a sandbox company")

	if got, want := accounts.called(), []string{"ConnectPipedrive", "ConnectQuickBooks sandbox"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if got := m.pipedriveState.Text; got != "Pipedrive: Acme Sales" {
		t.Errorf("status bar = %q", got)
	}
	if got := m.settings.quickbooks.Text; got != "QuickBooks: Larkspur Supplies" {
		t.Errorf("Settings shows %q", got)
	}
	if b := findButton(m.settings.content, "Disconnect"); b == nil || b.Disabled() {
		t.Error("Disconnect is not offered after connecting")
	}
	if got := m.settings.connect.pipedriveUser.Text; got != "Signed in as Ann Lee." {
		t.Errorf("Pipedrive user = %q", got)
	}
	if got := m.settings.connect.quickbooksCompany.Text; got != "Sandbox company 4620816365." {
		t.Errorf("QuickBooks company = %q", got)
	}
	if m.window.Canvas().Overlays().Top() != nil {
		t.Error("a dialog is still open after connecting")
	}
	if changed != 2 {
		t.Errorf("the app heard of %d changes of accounts, want 2", changed)
	}
}

func TestConnectFailureIsOneSentenceWithTheNextStep(t *testing.T) {
	cases := []struct {
		reason invoicing.ConnectReason
		button string
		want   string
	}{
		{invoicing.Denied, "Connect in the browser", "Access was declined in the browser. Press Connect again and choose to allow Dealbooks."},
		{invoicing.WrongAttempt, "Connect in the browser", "The browser answered for an earlier sign-in, so it was ignored. Press Connect to start again."},
		{invoicing.TimedOut, "Connect a company", "The browser did not come back in time. Press Connect to try again."},
		{invoicing.NoClient, "Connect a company", "Dealbooks knows no QuickBooks developer app yet. Enter its client ID and secret under Developer apps, or try the demo."},
		{invoicing.BadToken, "Connect a company", "QuickBooks did not accept the developer app's client ID or secret. Check them under Developer apps."},
		{invoicing.BadPaste, "Connect a company", "That is not the address the browser ended on. Copy the whole address bar after approving, and paste it again."},
		{invoicing.NoBrowser, "Connect in the browser", "Dealbooks could not open a web browser. Choose a default browser in your system settings, then press Connect again."},
		{invoicing.Unreachable, "Connect in the browser", "Pipedrive cannot be reached. Check the network connection and try again."},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			m, _ := newAccountsWindow(t, invoicing.AccountsState{}, &invoicing.ConnectError{Reason: tc.reason, Err: errors.New("cause")})
			m.tabs.SelectIndex(tabSettings)
			tap(t, m.settings.content, tc.button)
			if !overlayShows(m, tc.want) {
				t.Errorf("no dialog says %q", tc.want)
			}
			if m.pipedriveState.Text != "Pipedrive: not connected" {
				t.Errorf("status bar = %q", m.pipedriveState.Text)
			}
		})
	}
}

func TestCancelledConnectSaysNothing(t *testing.T) {
	m, _ := newAccountsWindow(t, invoicing.AccountsState{}, &invoicing.ConnectError{Reason: invoicing.Cancelled})
	m.tabs.SelectIndex(tabSettings)
	tap(t, m.settings.content, "Connect in the browser")
	if top := m.window.Canvas().Overlays().Top(); top != nil {
		t.Error("a dialog is open after the rep cancelled")
	}
}

func TestPipedriveAPITokenIsAskedForAndChecked(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	m.tabs.SelectIndex(tabSettings)
	tap(t, m.settings.content, "Use an API token…")

	var entry *widget.Entry
	walk(m.window.Canvas().Overlays().Top(), func(o any) {
		if e, ok := asEntry(o); ok && e.Password {
			entry = e
		}
	})
	if entry == nil {
		t.Fatal("the dialog has no hidden entry for the token")
	}
	test.Type(entry, "0123abcd")
	test.Tap(dialogButton(t, m, "Connect"))

	if got := accounts.called(); !slices.Equal(got, []string{"ConnectPipedriveToken"}) || accounts.token != "0123abcd" {
		t.Errorf("calls = %q with token %q", got, accounts.token)
	}
	if got := m.pipedriveState.Text; got != "Pipedrive: Acme Sales" {
		t.Errorf("status bar = %q", got)
	}
	if got := m.settings.connect.pipedriveUser.Text; got != "Signed in as Ann Lee, with a personal API token." {
		t.Errorf("Pipedrive user = %q", got)
	}
}

func TestRefusedAPITokenSaysHowToFindIt(t *testing.T) {
	m, _ := newAccountsWindow(t, invoicing.AccountsState{}, &invoicing.ConnectError{Provider: invoicing.Pipedrive, Reason: invoicing.BadToken})
	m.tabs.SelectIndex(tabSettings)
	tap(t, m.settings.content, "Use an API token…")
	var entry *widget.Entry
	walk(m.window.Canvas().Overlays().Top(), func(o any) {
		if e, ok := asEntry(o); ok && e.Password {
			entry = e
		}
	})
	test.Type(entry, "wrong")
	test.Tap(dialogButton(t, m, "Connect"))
	if want := "Pipedrive did not accept this API token. Copy it again from Personal preferences, API, and paste it here."; !overlayShows(m, want) {
		t.Errorf("no dialog says %q", want)
	}
}

func TestDisconnectAsksWhetherToKeepTheHistory(t *testing.T) {
	for _, keep := range []bool{true, false} {
		connected := invoicing.AccountsState{
			Pipedrive:  invoicing.Connection{Provider: invoicing.Pipedrive, Connected: true, Account: "Acme Sales"},
			QuickBooks: invoicing.Connection{Provider: invoicing.QuickBooks, Connected: true, Account: "Larkspur Supplies"},
		}
		m, accounts := newAccountsWindow(t, connected, nil)
		m.tabs.SelectIndex(tabSettings)
		tap(t, m.settings.content, "Disconnect")
		if !overlayShows(m, "Dealbooks will end its access to Pipedrive and forget the sign-in. Keep the deals and invoices already on this computer, to read them offline?") {
			t.Fatal("no dialog asks about the offline history")
		}
		button := "Delete them"
		if keep {
			button = "Keep them"
		}
		test.Tap(dialogButton(t, m, button))
		if kept, ok := accounts.disconnected[invoicing.Pipedrive]; !ok || kept != keep {
			t.Errorf("%s: disconnected = %v, want Pipedrive with keepHistory %v", button, accounts.disconnected, keep)
		}
	}
}

func TestDisconnectProblemsSayWhatToDo(t *testing.T) {
	cases := []struct {
		reason invoicing.ConnectReason
		button string
		says   string
	}{
		{invoicing.NotRevoked, "Keep them", "Dealbooks forgot the sign-in, but QuickBooks could not be told. Remove Dealbooks from the connected apps in QuickBooks to end its access."},
		{invoicing.HistoryKept, "Delete them", "QuickBooks is disconnected, but the invoices on this computer were kept: some are still waiting to be sent. Connect the same accounts again to send them."},
	}
	for _, c := range cases {
		connected := invoicing.AccountsState{QuickBooks: invoicing.Connection{Provider: invoicing.QuickBooks, Connected: true, Account: "Larkspur"}}
		m, _ := newAccountsWindow(t, connected, &invoicing.ConnectError{Provider: invoicing.QuickBooks, Reason: c.reason})
		m.tabs.SelectIndex(tabSettings)
		var disconnect *widget.Button // QuickBooks': the only one enabled
		walk(m.settings.content, func(o any) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Disconnect" && !b.Disabled() {
				disconnect = b
			}
		})
		if disconnect == nil {
			t.Fatal("QuickBooks cannot be disconnected")
		}
		test.Tap(disconnect)
		test.Tap(dialogButton(t, m, c.button))
		if !overlayShows(m, c.says) {
			t.Errorf("no dialog says %q", c.says)
		}
	}
}

// appsKnown is the state where Dealbooks knows a developer app for both services.
var appsKnown = invoicing.AccountsState{HasClient: map[invoicing.Provider]bool{invoicing.Pipedrive: true, invoicing.QuickBooks: true}}

func TestDealsEmptyStateOffersConnectAndTheDemo(t *testing.T) {
	m, accounts := newAccountsWindow(t, appsKnown, nil)
	deals := m.tabs.Items[tabDeals].Content
	tap(t, deals, "Try the demo")
	tap(t, deals, "Connect Pipedrive")
	if got, want := accounts.called(), []string{"TryDemo", "ConnectPipedrive"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if got := m.pipedriveState.Text; got != "Pipedrive: Acme Sales" {
		t.Errorf("status bar = %q", got)
	}
}

func TestTheDemoDoesNotOfferItselfOrRealAccounts(t *testing.T) {
	m, _ := newAccountsWindow(t, invoicing.AccountsState{Demo: true}, nil)
	if findButton(m.tabs.Items[tabDeals].Content, "Try the demo") != nil {
		t.Error("the demo's Deals view offers the demo")
	}
	m.tabs.SelectIndex(tabSettings)
	for _, text := range []string{"Try the demo", "Developer apps…", "Connect a company"} {
		if findButton(m.settings.content, text) != nil {
			t.Errorf("the demo's Settings offer %q", text)
		}
	}
	if findButton(m.settings.content, "Connect a sandbox company") == nil {
		t.Error("the demo cannot connect its QuickBooks")
	}
}

func TestABrowserThatDoesNotComeBackCanPasteTheAddress(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	m.tabs.SelectIndex(tabSettings)
	accounts.waiting = func() { test.Tap(dialogButton(t, m, "Paste the address instead…")) }
	tap(t, m.settings.content, "Connect a company")

	var entry *widget.Entry
	walk(m.window.Canvas().Overlays().Top(), func(o any) {
		if e, ok := asEntry(o); ok && entry == nil {
			entry = e
		}
	})
	if entry == nil || !overlayShows(m, "Paste the address from the browser") {
		t.Fatal("no dialog asks for the address")
	}
	test.Type(entry, "http://localhost:53682/callback?code=c&state=s&realmId=1")
	test.Tap(dialogButton(t, m, "Connect"))

	want := []string{"ConnectQuickBooks", "PasteSignIn", "finish http://localhost:53682/callback?code=c&state=s&realmId=1"}
	if got := accounts.called(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if got := m.quickbooksState.Text; got != "QuickBooks: Larkspur Supplies" {
		t.Errorf("status bar = %q", got)
	}
}

func TestDeveloperAppsAreSavedWhereAnIDWasTyped(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	m.tabs.SelectIndex(tabSettings)
	tap(t, m.settings.content, "Developer apps…")
	var entries []*widget.Entry
	walk(m.window.Canvas().Overlays().Top(), func(o any) {
		if e, ok := asEntry(o); ok {
			entries = append(entries, e)
		}
	})
	if len(entries) != 4 {
		t.Fatalf("the dialog has %d entries, want an ID and a secret for each provider", len(entries))
	}
	test.Type(entries[2], "qb-id") // QuickBooks client ID
	test.Type(entries[3], "qb-secret")
	test.Tap(dialogButton(t, m, "Save"))
	if got, want := accounts.called(), []string{"SaveClient quickbooks qb-id qb-secret"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
}

func TestDealsEmptyStateLeadsThroughBothConnections(t *testing.T) {
	m, accounts := newAccountsWindow(t, appsKnown, nil)
	tap(t, m.tabs.Items[tabDeals].Content, "Connect Pipedrive")
	deals := m.tabs.Items[tabDeals].Content
	if findButton(deals, "Connect Pipedrive") != nil {
		t.Error("the Deals view still offers to connect Pipedrive once it is connected")
	}
	tap(t, deals, "Connect a company")
	if got, want := accounts.called(), []string{"ConnectPipedrive", "ConnectQuickBooks"}; !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	var labels []string
	walk(m.tabs.Items[tabDeals].Content, func(o any) {
		if l, ok := o.(*widget.Label); ok {
			labels = append(labels, l.Text)
		}
	})
	if !contains(labels, "Opening your accounts") {
		t.Errorf("with both accounts connected the Deals view says %q", labels)
	}
}
