package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
	"dealbooks/internal/testkit"
)

// press types a shortcut as the desktop driver hands it over: to the main menu's item with that shortcut, else
// to the focused widget, else to the canvas's shortcuts. The test driver has no menus and no canvas shortcuts,
// so the first and last steps are done here.
func press(m *MainWindow, s fyne.Shortcut) {
	for _, menu := range menus(m) {
		for _, it := range menu.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == s.ShortcutName() {
				it.Action()
				return
			}
		}
	}
	if f, ok := m.window.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	m.typedShortcut(s)
}

func menus(m *MainWindow) []*fyne.Menu {
	if mm := m.window.MainMenu(); mm != nil {
		return mm.Items
	}
	return nil
}

func TestShortcutsWorkFromAFieldWithoutTheMenu(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	test.Tap(e.editorCreateNew())
	m.window.SetMainMenu(nil) // as where the menu is not the window's
	m.window.Canvas().Focus(e.memo)
	e.memo.TypedShortcut(keyCreate)
	if len(svc.created) != 1 {
		t.Fatalf("Ctrl+Enter in a field created %d invoices, want 1", len(svc.created))
	}
}

// key types a key as the desktop driver hands it over: Tab moves the focus unless the focused widget takes
// tabs; other keys go to the focused widget, else to the canvas.
func key(m *MainWindow, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	c := m.window.Canvas()
	if t, ok := c.Focused().(fyne.Tabbable); name == fyne.KeyTab && (!ok || !t.AcceptsTab()) {
		c.FocusNext()
		return
	}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	m.window.Canvas().OnTypedKey()(ev)
}

func TestCtrlFFocusesTheDealSearchFromAnywhere(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	openEditor(t, m)
	m.window.Canvas().Focus(m.deals.deal.editor.to)

	press(m, keyFind)

	if m.deals.deal != nil {
		t.Error("Ctrl+F left the deal open")
	}
	if got := m.window.Canvas().Focused(); got != m.deals.picker.search {
		t.Errorf("focus is on %T, want the deal search", got)
	}
}

func TestArrowsAndEnterOpenADeal(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	p := m.deals.picker
	m.window.Canvas().Focus(p.view)

	key(m, fyne.KeyDown)
	key(m, fyne.KeyReturn)

	if m.deals.deal == nil || m.deals.deal.editor.deal.Title != "Globex rollout" {
		t.Fatal("Down then Enter did not open the second deal, Globex rollout")
	}
}

func TestEnterInTheSearchOpensTheFirstDealFound(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	p := m.deals.picker
	m.window.Canvas().Focus(p.search)
	test.Type(p.search, "glob")

	key(m, fyne.KeyReturn)

	if m.deals.deal == nil || m.deals.deal.editor.deal.Title != "Globex rollout" {
		t.Fatal("Enter in the search did not open Globex rollout")
	}
}

func TestDownFromTheSearchGoesThroughTheDealsFoundAndEnterOpensOne(t *testing.T) {
	m, p := searchCached(t, "l") // Acme renewal and Globex rollout; Initech pilot is lost, so not listed

	key(m, fyne.KeyDown)
	if got := m.window.Canvas().Focused(); got != p.view {
		t.Fatalf("after Down in the search the focus is on %T, want the deal list", got)
	}
	key(m, fyne.KeyDown)
	key(m, fyne.KeyReturn)

	if m.deals.deal == nil || m.deals.deal.editor.deal.Title != "Globex rollout" {
		t.Fatal("Down, Down, Enter from the search did not open the second deal found, Globex rollout")
	}
}

func TestUpFromTheFirstDealGoesBackToTheSearch(t *testing.T) {
	m, p := searchCached(t, "l")
	key(m, fyne.KeyDown)

	key(m, fyne.KeyUp)

	if got := m.window.Canvas().Focused(); got != p.search {
		t.Fatalf("Up from the first deal left the focus on %T, want the search", got)
	}
	if p.search.Text != "l" {
		t.Errorf("the search holds %q after going down and up, want what was typed, %q", p.search.Text, "l")
	}
	key(m, fyne.KeyReturn)
	if m.deals.deal == nil || m.deals.deal.editor.deal.Title != "Acme renewal" {
		t.Error("Enter back in the search did not open the first deal found, Acme renewal")
	}
}

func TestDownInASearchThatFindsNothingStaysInTheSearch(t *testing.T) {
	m, p := searchCached(t, "zzz")

	key(m, fyne.KeyDown)

	if got := m.window.Canvas().Focused(); got != p.search {
		t.Fatalf("Down with no deal found moved the focus to %T, want it kept in the search", got)
	}
}

// searchCached opens a sample deal list, goes to its search with Ctrl+F and types text there. The deals found
// are the cached ones: Pipedrive's search never answers.
func searchCached(t *testing.T, text string) (*MainWindow, *dealPicker) {
	t.Helper()
	m := newScreensWindow(t, sampleService(), &savedFile{})
	p := m.deals.picker
	p.after = neverAfter
	press(m, keyFind)
	test.Type(p.search, text)
	return m, p
}

// neverAfter is an afterFunc whose time never comes.
func neverAfter(time.Duration, func()) func() bool { return func() bool { return true } }

func TestCtrlEnterCreatesTheInvoiceWhileTypingInAField(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	test.Tap(e.editorCreateNew())
	m.window.Canvas().Focus(e.memo)

	press(m, keyCreate)

	if len(svc.created) != 1 {
		t.Fatalf("Ctrl+Enter created %d invoices, want 1", len(svc.created))
	}
}

func TestEnterAndEscAnswerCreateAnotherInvoice(t *testing.T) {
	for _, tc := range []struct {
		key     fyne.KeyName
		created int // invoices in all, the first one included
	}{
		{fyne.KeyReturn, 2},
		{fyne.KeyEnter, 2}, // the keypad's
		{fyne.KeyEscape, 1},
	} {
		t.Run(string(tc.key), func(t *testing.T) {
			svc := sampleService()
			m := newScreensWindow(t, svc, &savedFile{})
			openEditor(t, m)
			press(m, keyCreate)
			press(m, keyCreate) // the deal has an invoice now: the window asks first
			if !overlayShows(m, "Create another invoice?") {
				t.Fatal("a second Ctrl+Enter did not ask whether to create another invoice")
			}

			key(m, tc.key)

			if len(svc.created) != tc.created {
				t.Errorf("%s on the question: %d invoices created, want %d", tc.key, len(svc.created), tc.created)
			}
			if m.window.Canvas().Overlays().Top() != nil {
				t.Errorf("%s left the question open", tc.key)
			}
		})
	}
}

func TestCtrlRRefreshesWhatTheTabShows(t *testing.T) {
	svc := sampleService()
	fetched := 0
	svc.fetchingDeals = func(context.Context) error { fetched++; return nil }
	refreshed := 0
	svc.refresh = func(*fakeInvoicing) error { refreshed++; return nil }
	m := newScreensWindow(t, svc, &savedFile{})

	press(m, keyRefresh)
	if fetched != 1 || refreshed != 0 {
		t.Errorf("Ctrl+R on Deals: deals fetched %d times, invoices refreshed %d times; want 1 and 0", fetched, refreshed)
	}
	m.tabs.SelectIndex(tabInvoices)
	press(m, keyRefresh)
	if fetched != 1 || refreshed != 1 {
		t.Errorf("Ctrl+R on Invoices: deals fetched %d times, invoices refreshed %d times; want 1 and 1", fetched, refreshed)
	}
}

func TestEscClosesTheDialogThenGoesBackFromTheDeal(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	openEditor(t, m)
	m.showKeys()
	if m.window.Canvas().Overlays().Top() == nil {
		t.Fatal("the keyboard shortcuts are not shown")
	}

	key(m, fyne.KeyEscape)
	if m.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Esc left the dialog open")
	}
	if m.deals.deal == nil {
		t.Fatal("the Esc that closed the dialog also left the deal")
	}
	m.window.Canvas().Focus(m.deals.deal.editor.email)
	key(m, fyne.KeyEscape)
	if m.deals.deal != nil {
		t.Error("Esc in the editor did not go back to the deal list")
	}
}

func TestEscCancelsCreatingTheInvoice(t *testing.T) {
	svc := sampleService()
	cancelled := false
	m := newScreensWindow(t, svc, &savedFile{})
	svc.creating = func(ctx context.Context) error {
		key(m, fyne.KeyEscape) // the rep presses Esc while QuickBooks takes its time
		<-ctx.Done()
		cancelled = true
		return ctx.Err()
	}
	e := openEditor(t, m).editor
	test.Tap(e.editorCreateNew())
	e.onCreate()
	if !cancelled || len(svc.created) != 0 {
		t.Errorf("Esc during create: cancelled %v, created %d", cancelled, len(svc.created))
	}
	if m.deals.deal == nil {
		t.Error("the Esc that cancelled also left the deal")
	}
}

func TestTabGoesThroughTheEditorInReadingOrder(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	e := openEditor(t, m).editor
	test.Tap(e.editorCreateNew())
	r := e.lines[0]
	want := []fyne.Focusable{e.to, e.address, e.email, e.taxID, e.currency, e.issueDate, e.dueDate, e.terms, e.number,
		e.memo, e.customerMemo, r.name, r.item, r.quantity, r.price, r.off, r.taxCode}
	c := m.window.Canvas()
	c.Focus(e.to)
	for i := 1; i < len(want); i++ {
		key(m, fyne.KeyTab) // a Tab typed in a field, the multi-line ones too
		if got := c.Focused(); got != want[i] {
			t.Fatalf("Tab %d focuses %T, want field %d of the reading order", i, got, i)
		}
	}
	if strings.Contains(e.address.Text, "\t") || strings.Contains(e.draft.Customer.Address, "\t") {
		t.Errorf("Tab typed into the address: %q", e.address.Text)
	}
	for c.Focused() != e.create {
		before := c.Focused()
		c.FocusNext()
		if c.Focused() == before || c.Focused() == e.to {
			t.Fatal("Tab never reaches Create invoice")
		}
	}
}

func TestATabInASavedAddressIsReplaced(t *testing.T) {
	svc := sampleService()
	svc.drafts = map[int64]invoicing.Draft{1: func() invoicing.Draft {
		d := svc.built.Draft
		d.DealID = 1
		d.Customer.Address = "1 Main Street\t\tUtrecht"
		return d
	}()}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor
	if e.address.Text != "1 Main Street  Utrecht" || e.draft.Customer.Address != "1 Main Street  Utrecht" {
		t.Errorf("address shown %q, in the draft %q", e.address.Text, e.draft.Customer.Address)
	}
}

func TestTheTokenDialogFocusesItsFieldAndEnterConnects(t *testing.T) {
	m, accounts := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	m.conn.askPipedriveToken()

	f, ok := m.window.Canvas().Focused().(*textField)
	if !ok || !f.Password {
		t.Fatalf("focus is on %T, want the token field", m.window.Canvas().Focused())
	}
	test.Type(f, "0123abcd")
	key(m, fyne.KeyReturn)

	if got := accounts.called(); !slices.Equal(got, []string{"ConnectPipedriveToken"}) || accounts.token != "0123abcd" {
		t.Errorf("Enter: calls %q with token %q", got, accounts.token)
	}
}

func TestSpaceOnTheTokenButtonTypesNoSpaceIntoTheTokenField(t *testing.T) {
	m, _ := newAccountsWindow(t, invoicing.AccountsState{}, nil)
	var afterKey []func()
	m.afterKey = func(f func()) { afterKey = append(afterKey, f) } // the real driver's queue behind the event
	b := findButton(m.tabs.Items[tabDeals].Content, "Connect with an API token…")
	if b == nil {
		t.Fatal("Deals offers no \"Connect with an API token…\"")
	}
	c := m.window.Canvas()
	c.Focus(b)

	// One press of Space, as the desktop driver hands it over: the key to the focused widget, then its
	// character to whatever has the focus by then, then what was queued behind the event.
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if f := c.Focused(); f != nil { // nothing has the focus on a dialog just shown: the character is dropped
		f.TypedRune(' ')
	} else if typed := c.OnTypedRune(); typed != nil {
		typed(' ')
	}
	for _, f := range afterKey {
		f()
	}

	f, ok := c.Focused().(*textField)
	if !ok || !f.Password {
		t.Fatalf("after Space on the button the focus is on %T, want the token field", c.Focused())
	}
	if f.Text != "" {
		t.Errorf("the token field holds %q before the rep typed anything, want it empty", f.Text)
	}
}

func TestTheSendDialogFocusesTheAddressAndEnterSends(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{{Invoice: invoicing.Invoice{ID: "130", DocNumber: "1001", Currency: "EUR",
		BillEmail: "ap@acme.example", Total: testkit.Dec("120"), Balance: testkit.Dec("120")}, Status: invoicing.Status{State: invoicing.Open}}}
	m := newScreensWindow(t, svc, &savedFile{})
	m.tabs.SelectIndex(tabInvoices)
	l := m.invoices.list
	l.list.Select(0)
	l.onSend()
	if m.window.Canvas().Focused() != l.sendTo {
		t.Fatalf("focus is on %T, want the address", m.window.Canvas().Focused())
	}
	if w := l.sendTo.Size().Width; w < 300 {
		t.Errorf("the address field is %.0f wide, too narrow for an address", w)
	}
	key(m, fyne.KeyReturn)
	if !slices.Equal(svc.sentTo, []string{"ap@acme.example"}) {
		t.Errorf("sent to %q", svc.sentTo)
	}
}

func TestTheShortcutsAreListedInTheMenusAndTheHelp(t *testing.T) {
	m := newScreensWindow(t, sampleService(), &savedFile{})
	keys := map[string]bool{}
	for _, menu := range m.window.MainMenu().Items {
		for _, it := range menu.Items {
			if it.Shortcut != nil {
				keys[it.Shortcut.ShortcutName()] = true
			}
		}
	}
	for _, s := range []fyne.Shortcut{keyFind, keyRefresh, keyCreate} {
		if !keys[s.ShortcutName()] {
			t.Errorf("no menu item shows %s", s.ShortcutName())
		}
	}
	m.showKeys()
	for _, text := range []string{"Ctrl+F", "Ctrl+R", "Ctrl+Enter", "Esc"} {
		found := false
		walk(m.window.Canvas().Overlays().Top(), func(o any) {
			if l, ok := o.(*widget.Label); ok && l.Text == text {
				found = true
			}
		})
		if !found {
			t.Errorf("the keyboard shortcuts do not list %s", text)
		}
	}
}
