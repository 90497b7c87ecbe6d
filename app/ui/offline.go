package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// newOfflineNotice builds the editor's notice for a draft built offline: what it lacks, and Retry.
func (e *invoiceEditor) newOfflineNotice() {
	e.offlineText = widget.NewLabel("")
	e.offlineText.Wrapping = fyne.TextWrapWord
	retry := widget.NewButtonWithIcon(lang.X("editor.retry", "Retry"), theme.ViewRefreshIcon(), e.retry)
	e.offline = container.NewBorder(nil, nil, nil, retry, e.offlineText)
	e.offline.Hide()
}

// showOffline says what a draft built while Pipedrive could not be reached lacks.
func (e *invoiceEditor) showOffline(b invoicing.BuiltDraft) {
	switch {
	case b.ProductsUnknown:
		e.offlineText.SetText(lang.X("editor.offline.products", "Offline: this deal was never opened here, so its products are not known yet. Retry when Pipedrive can be reached, or add the lines yourself."))
	case b.Offline:
		e.offlineText.SetText(lang.X("editor.offline.saved", "Offline: this is the draft saved on this computer. Create queues the invoice until QuickBooks can be reached."))
	default:
		e.offline.Hide()
		return
	}
	e.offline.Show()
}

// showLoadFailed says why the deal could not be drafted, with Retry.
func (e *invoiceEditor) showLoadFailed(err error) {
	text := explain(err)
	if isOffline(err) {
		text = lang.X("editor.offline.unknown", "Pipedrive cannot be reached, and this deal is not stored on this computer yet, so nothing is known to draft from. Retry when the network is back.")
	}
	e.status.SetText(text)
	retry := widget.NewButtonWithIcon(lang.X("editor.retry", "Retry"), theme.ViewRefreshIcon(), e.retry)
	e.content.Objects = []fyne.CanvasObject{container.NewVBox(e.status, container.NewHBox(retry))}
	e.content.Refresh()
}

// retry reads the deal again, from Pipedrive when it answers.
func (e *invoiceEditor) retry() {
	e.offline.Hide()
	e.content.Objects = []fyne.CanvasObject{container.NewVBox(e.status)}
	e.status.SetText(lang.X("editor.loading", "Reading the deal from Pipedrive…"))
	e.content.Refresh()
	e.load()
}

// isOffline: a service could not be reached (and these are not the read-only kept copies).
func isOffline(err error) bool {
	return errors.Is(err, invoicing.ErrOffline) && !errors.Is(err, invoicing.ErrReadOnly)
}
