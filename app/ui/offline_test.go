package ui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// offlineInvoicing is the fake service with Pipedrive out of reach until back: BuildDraft then answers
// built as the domain builds a draft offline, or fails when the deal is not stored.
type offlineInvoicing struct {
	*fakeInvoicing
	back      bool
	offline   invoicing.BuiltDraft // what BuildDraft answers offline
	notStored bool                 // offline, the deal is not stored at all
	reloads   int
}

func (f *offlineInvoicing) BuildDraft(ctx context.Context, dealID int64) (invoicing.BuiltDraft, error) {
	switch {
	case f.back:
		return f.fakeInvoicing.BuildDraft(ctx, dealID)
	case f.notStored:
		return invoicing.BuiltDraft{}, fmt.Errorf("read Pipedrive deal %d: %w", dealID, invoicing.ErrOffline)
	}
	b := f.offline
	b.Draft.DealID = dealID
	return b, nil
}

func (f *offlineInvoicing) ReloadDeals(context.Context) (int, error) {
	f.reloads++
	return len(f.deals), nil
}

func (f *offlineInvoicing) QueuedCount(context.Context) (int, error) { return 2, nil }

func newOfflineWindow(t *testing.T, svc *offlineInvoicing) *MainWindow {
	t.Helper()
	return newScreensWindow(t, svc, &savedFile{})
}

func TestOfflineDraftOfAListedDealSaysItsProductsAreUnknownWithRetry(t *testing.T) {
	svc := &offlineInvoicing{fakeInvoicing: sampleService()}
	svc.offline = invoicing.BuiltDraft{Draft: invoicing.Draft{Customer: invoicing.Customer{To: "Acme Ltd"}, Currency: "EUR"},
		Offline: true, ProductsUnknown: true}
	m := newOfflineWindow(t, svc)
	v := openEditor(t, m)
	e := v.editor

	if e.content.Objects[0] != e.form || e.to.Text != "Acme Ltd" {
		t.Fatalf("the editor did not open the offline draft (To %q)", e.to.Text)
	}
	if !e.offline.Visible() || e.offlineText.Text != "Offline: this deal was never opened here, so its products are not known yet. Retry when Pipedrive can be reached, or add the lines yourself." {
		t.Errorf("offline notice shown %v: %q", e.offline.Visible(), e.offlineText.Text)
	}

	svc.back = true
	test.Tap(buttonIn(t, e.offline, "Retry"))
	if e.offline.Visible() || len(e.draft.Lines) != 1 || e.draft.Lines[0].Name != "Support plan" {
		t.Errorf("after Retry online: notice %v, lines %+v; want the deal's products", e.offline.Visible(), e.draft.Lines)
	}
}

func TestOfflineDealNotStoredSaysSoWithRetry(t *testing.T) {
	svc := &offlineInvoicing{fakeInvoicing: sampleService(), notStored: true}
	m := newOfflineWindow(t, svc)
	e := openEditor(t, m).editor

	want := "Pipedrive cannot be reached, and this deal is not stored on this computer yet, so nothing is known to draft from. Retry when the network is back."
	if e.status.Text != want {
		t.Errorf("status = %q, want %q", e.status.Text, want)
	}
	svc.back = true
	test.Tap(buttonIn(t, e.content, "Retry"))
	if e.content.Objects[0] != e.form || e.to.Text != "Acme Ltd" {
		t.Errorf("Retry once Pipedrive answers did not open the draft (To %q)", e.to.Text)
	}
}

func TestReloadAllDealsAndTheQueuedCount(t *testing.T) {
	svc := &offlineInvoicing{fakeInvoicing: sampleService(), back: true}
	m := newOfflineWindow(t, svc)
	m.UseService(svc, nil)
	p := m.deals.picker
	if p.reload == nil {
		t.Fatal("no Reload all deals button")
	}
	test.Tap(p.reload)
	if svc.reloads != 1 || p.reload.Disabled() {
		t.Errorf("Reload all deals reloaded %d times, disabled after: %v", svc.reloads, p.reload.Disabled())
	}
	if !m.queueState.Visible() || m.queueState.Text != "2 invoices waiting to be sent" {
		t.Errorf("status bar queue = %v %q", m.queueState.Visible(), m.queueState.Text)
	}
}

// buttonIn returns the visible button labelled text in o.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	b := findButton(o, text)
	if b == nil {
		t.Fatalf("no %q button", text)
	}
	return b
}
