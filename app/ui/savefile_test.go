package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// pdfWindow opens the Invoices tab over invoice 1002 for Acme, whose PDF QuickBooks has made, with the invoice
// selected.
func pdfWindow(t *testing.T, saved *savedFile) (*MainWindow, *invoiceList, string) {
	t.Helper()
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	svc.pdfPath = filepath.Join(t.TempDir(), "cached.pdf")
	pdf := "%PDF-1.4 invoice 1002"
	if err := os.WriteFile(svc.pdfPath, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	m := newScreensWindow(t, svc, saved)
	m.tabs.SelectIndex(tabInvoices)
	m.invoices.list.list.Select(0)
	return m, m.invoices.list, pdf
}

func TestSavingAPDFWritesItWhereTheRepChoseAndOpensItOrItsFolder(t *testing.T) {
	saved := &savedFile{}
	m, l, pdf := pdfWindow(t, saved)

	test.Tap(l.pdf)

	want := filepath.Join(saved.dir, "Invoice 1002 Acme Ltd.pdf")
	if len(saved.asked) != 1 {
		t.Fatalf("the save dialog was asked %d times", len(saved.asked))
	}
	q := saved.asked[0]
	if q.Title != "Save the PDF of invoice 1002" || q.Name != "Invoice 1002 Acme Ltd.pdf" ||
		q.Filter.Name != "PDF document" || !slices.Equal(q.Filter.Patterns, []string{"*.pdf"}) {
		t.Errorf("the save dialog asked %+v", q)
	}
	if saved.data(t) != pdf {
		t.Errorf("the file at %s holds %q, want QuickBooks' PDF", want, saved.data(t))
	}
	texts := overlayTexts(m)
	if !strings.Contains(texts, "The PDF of invoice 1002 is saved.") || !strings.Contains(texts, want) {
		t.Errorf("after saving, the dialog says %q; want the full path %s", texts, want)
	}

	if open := overlayButton(t, m, "Open"); m.window.Canvas().Focused() != open {
		t.Errorf("the keyboard is on %v, not on Open", m.window.Canvas().Focused())
	}
	test.Tap(overlayButton(t, m, "Open"))
	if !slices.Equal(saved.opened, []string{want}) || len(saved.shown) != 0 {
		t.Errorf("Open opened %q and showed %q, want %s opened", saved.opened, saved.shown, want)
	}
	if m.window.Canvas().Overlays().Top() != nil {
		t.Error("the dialog stayed open after Open")
	}

	test.Tap(l.pdf)
	test.Tap(overlayButton(t, m, "Show in folder"))
	if !slices.Equal(saved.shown, []string{want}) || len(saved.opened) != 1 {
		t.Errorf("Show in folder showed %q (opened %q), want %s shown", saved.shown, saved.opened, want)
	}
}

func TestSavedDialogInDutch(t *testing.T) {
	saved := &savedFile{}
	m, l, _ := pdfWindow(t, saved)
	if err := UseLanguage("nl"); err != nil {
		t.Fatal(err)
	}

	test.Tap(l.pdf)

	for _, label := range []string{"Openen", "In map tonen", "Sluiten"} {
		overlayButton(t, m, label)
	}
	if q := saved.asked[0]; q.Title != "Pdf van factuur 1002 bewaren" || q.Filter.Name != "Pdf-document" {
		t.Errorf("the save dialog asked %+v", q)
	}
}

func TestCancelInTheSaveDialogWritesNothing(t *testing.T) {
	saved := &savedFile{cancel: true}
	m, l, _ := pdfWindow(t, saved)

	test.Tap(l.pdf)

	if len(saved.asked) != 1 {
		t.Fatalf("the save dialog was asked %d times", len(saved.asked))
	}
	entries, err := os.ReadDir(saved.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("after Cancel the folder holds %d files", len(entries))
	}
	if top := m.window.Canvas().Overlays().Top(); top != nil {
		t.Errorf("after Cancel a dialog says %q", overlayTexts(m))
	}
}

func TestExportedCSVOffersOpenAndShowInFolder(t *testing.T) {
	svc := sampleService()
	svc.invoices = []invoicing.HistoryItem{openInvoice()}
	saved := &savedFile{}
	m := newScreensWindow(t, svc, saved)
	m.tabs.SelectIndex(tabInvoices)

	test.Tap(m.invoices.export)

	want := filepath.Join(saved.dir, "Dealbooks invoices.csv")
	if q := saved.asked[0]; q.Title != "Export the invoices listed as CSV" || !slices.Equal(q.Filter.Patterns, []string{"*.csv"}) {
		t.Errorf("the save dialog asked %+v", q)
	}
	if texts := overlayTexts(m); !strings.Contains(texts, "The list is saved as CSV.") || !strings.Contains(texts, want) {
		t.Errorf("after exporting, the dialog says %q", texts)
	}
	test.Tap(overlayButton(t, m, "Show in folder"))
	if !slices.Equal(saved.shown, []string{want}) {
		t.Errorf("Show in folder showed %q, want %s", saved.shown, want)
	}
}

func TestOpenThatFailsSaysWhereTheFileIs(t *testing.T) {
	saved := &savedFile{failed: errors.New("xdg-open: exit status 3: no method available for opening")}
	m, l, _ := pdfWindow(t, saved)

	test.Tap(l.pdf)
	test.Tap(overlayButton(t, m, "Open"))

	want := "Dealbooks could not open the file. Find it at " + filepath.Join(saved.dir, "Invoice 1002 Acme Ltd.pdf") + "."
	if texts := overlayTexts(m); !strings.Contains(texts, want) {
		t.Errorf("the dialog says %q, want %q", texts, want)
	}
}

func TestSavingIntoAFolderThatCannotTakeItSaysSo(t *testing.T) {
	saved := &savedFile{}
	m, l, _ := pdfWindow(t, saved)
	saved.dir = filepath.Join(saved.dir, "gone") // removed while the dialog was open

	test.Tap(l.pdf)

	want := "Invoice 1002 Acme Ltd.pdf could not be saved in " + saved.dir + ". Choose another folder and try again."
	if texts := overlayTexts(m); !strings.Contains(texts, want) {
		t.Errorf("the dialog says %q, want %q", texts, want)
	}
}

func TestWithoutTheSystemsDialogFynesAsks(t *testing.T) {
	saved := &savedFile{}
	m, l, _ := pdfWindow(t, saved)
	m.deps.AskSavePath = func(context.Context, SaveQuestion) (string, error) {
		return "", fmt.Errorf("no qarma, zenity or matedialog: %w", errors.ErrUnsupported)
	}

	test.Tap(l.pdf)

	// Fyne's save dialog is drawn in the window, with the suggested name in its file name field.
	var name *widget.Entry
	for _, o := range test.LaidOutObjects(m.window.Canvas().Overlays().Top()) {
		if e, ok := o.(*widget.Entry); ok && e.Text == "Invoice 1002 Acme Ltd.pdf" {
			name = e
		}
	}
	if name == nil {
		t.Errorf("no save dialog in the window with the suggested name; it says %q", overlayTexts(m))
	}
}

func TestASecondSaveWaitsForTheOpenDialog(t *testing.T) {
	saved := &savedFile{}
	m, l, pdf := pdfWindow(t, saved)
	var queued []func()
	m.bg.spawn = func(work func()) { queued = append(queued, work) }
	run := func(i int) { // the i-th background work waiting
		t.Helper()
		if i >= len(queued) {
			t.Fatalf("%d background works waiting, not %d", len(queued), i+1)
		}
		work := queued[i]
		queued = slices.Delete(queued, i, i+1)
		work()
	}

	test.Tap(l.pdf)
	run(0) // the PDF from QuickBooks; the system's dialog opens and waits on the rep
	test.Tap(l.pdf)
	run(1) // the PDF again, while the dialog is still open
	for len(queued) > 0 {
		run(0) // the rep answers the dialog; the file is written
	}

	if len(saved.asked) != 1 || saved.data(t) != pdf {
		t.Errorf("the dialog was asked %d times, want once while it was open", len(saved.asked))
	}
}

func TestWriteFileAtLeavesTheFileItWouldReplaceWhenWritingFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Dealbooks invoices.csv")
	if err := os.WriteFile(path, []byte("the rep's earlier export"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	err := writeFileAt(path, func(w io.Writer) error {
		_, _ = io.WriteString(w, "Number,Customer\n")
		return full
	})
	if !errors.Is(err, full) {
		t.Errorf("err = %v, want the write's error", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "the rep's earlier export" {
		t.Errorf("the file now holds %q", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the earlier export", len(entries))
	}

	if err := writeFileAt(path, func(w io.Writer) error { _, err := io.WriteString(w, "Number,Customer\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "Number,Customer\n" {
		t.Errorf("after a write that worked the file holds %q", data)
	}
}
