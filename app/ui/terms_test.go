package ui

import (
	"fmt"
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"dealbooks/app/invoicing"
)

func TestChoosingNet30SetsTheDueDateAndTheDraftsTerms(t *testing.T) {
	svc := sampleService()
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	want := []string{"None", "Due on receipt", "Net 30", "15th of next month"}
	if !slices.Equal(e.terms.Options, want) || e.terms.Selected != "None" || e.dueDate.Text != "2026-03-27" {
		t.Fatalf("terms offer %q, show %q, due %q; want %q, None, the built due date", e.terms.Options, e.terms.Selected, e.dueDate.Text, want)
	}

	e.terms.SetSelected("Net 30")
	if e.draft.Terms != "3" || e.dueDate.Text != "2026-04-12" || e.draft.DueDate != invoicing.NewDate(2026, 4, 12) {
		t.Errorf("after Net 30: terms %q, due %q (%s); want 3, issue date 13 March + 30 days", e.draft.Terms, e.dueDate.Text, e.draft.DueDate)
	}

	e.issueDate.SetText("2026-03-20")
	if e.dueDate.Text != "2026-04-19" {
		t.Errorf("after the issue date moved to 20 March, due %q; want Net 30 from it", e.dueDate.Text)
	}

	e.dueDate.SetText("2026-05-01")
	e.terms.SetSelected("None")
	if e.draft.Terms != "" || e.dueDate.Text != "2026-05-01" {
		t.Errorf("after None: terms %q, due %q; want none, the due date as typed", e.draft.Terms, e.dueDate.Text)
	}

	e.terms.SetSelected("15th of next month")
	if e.draft.Terms != "7" || e.dueDate.Text != "2026-05-01" {
		t.Errorf("after a date-driven term: terms %q, due %q; want 7, the due date as typed", e.draft.Terms, e.dueDate.Text)
	}

	e.terms.SetSelected("Due on receipt")
	test.Tap(e.create)
	if len(svc.created) != 1 || svc.created[0].Terms != "1" || svc.created[0].DueDate != invoicing.NewDate(2026, 3, 20) {
		t.Errorf("created %+v; want one invoice with terms 1, due on the issue date", svc.created)
	}
}

func TestTermsQuickBooksDoesNotListAreMarkedAndNotSent(t *testing.T) {
	svc := sampleService()
	d := svc.built.Draft
	d.DealID, d.Terms = 1, "9"
	svc.drafts = map[int64]invoicing.Draft{1: d}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	if e.terms.Selected != "" || e.terms.PlaceHolder != "QuickBooks terms no. 9" || e.draft.Terms != "9" {
		t.Fatalf("terms show %q (placeholder %q), draft %q; want the unlisted term by its number", e.terms.Selected, e.terms.PlaceHolder, e.draft.Terms)
	}
	test.Tap(e.create)
	if l := e.problems["terms"]; len(svc.created) != 0 || !l.Visible() || l.Text != "QuickBooks does not have these terms. Choose other terms, or None." {
		t.Fatalf("created %d; terms problem %q (visible %v)", len(svc.created), l.Text, l.Visible())
	}

	e.terms.SetSelected("Net 30")
	if e.problems["terms"].Visible() || e.draft.Terms != "3" {
		t.Errorf("after choosing Net 30 the problem stays (%v) or the draft has terms %q", e.problems["terms"].Visible(), e.draft.Terms)
	}
}

func TestOfflineTheEditorKeepsTheDraftsTerms(t *testing.T) {
	svc := sampleService()
	svc.termsErr = fmt.Errorf("read QuickBooks terms: %w", invoicing.ErrOffline)
	d := svc.built.Draft
	d.DealID, d.Terms = 1, "3"
	svc.drafts = map[int64]invoicing.Draft{1: d}
	m := newScreensWindow(t, svc, &savedFile{})
	e := openEditor(t, m).editor

	if !slices.Equal(e.terms.Options, []string{"None"}) || e.terms.PlaceHolder != "QuickBooks terms no. 3" {
		t.Fatalf("offline terms offer %q, placeholder %q; want only None, the draft's term by its number", e.terms.Options, e.terms.PlaceHolder)
	}
	test.Tap(e.create)
	if len(svc.created) != 1 || svc.created[0].Terms != "3" {
		t.Errorf("created %+v; want the invoice with the draft's terms, for QuickBooks to check", svc.created)
	}
}
