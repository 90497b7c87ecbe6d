package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// UseKeptCopies shows the offline copies kept when the last account pair was disconnected: their deals and
// invoices, read-only over inv, marked in the status bar with the companies they came from and when they
// were kept. The app calls it when no pair is connected and copies are kept.
func (m *MainWindow) UseKeptCopies(inv Invoicing, kept invoicing.KeptCopies) {
	m.deps.Invoicing, m.deps.Preferences = inv, nil
	m.kept, m.queued = &kept, 0
	m.build()
	m.startAutoRefresh()
}

// ConnectionsChanged reads the connections again, as after the companies' names were read again.
func (m *MainWindow) ConnectionsChanged() { m.conn.load() }

// queueCounter is a service that counts the invoices waiting in its outbox (*invoicing.Service).
type queueCounter interface {
	QueuedCount(ctx context.Context) (int, error)
}

// countQueued reads how many invoices wait to be sent, for the status bar.
func (m *MainWindow) countQueued() {
	counter, ok := m.deps.Invoicing.(queueCounter)
	if !ok || m.kept != nil {
		m.showQueueState()
		return
	}
	call(m.bg, localCall, counter.QueuedCount, func(n int, err error) {
		if err != nil {
			m.deps.Log.Error("count queued invoices", "err", err)
			return
		}
		m.queued = n
		m.showQueueState()
	})
}

// showQueueState shows whose kept copies the window shows, or how many invoices wait to be sent.
func (m *MainWindow) showQueueState() {
	if m.queueState == nil {
		return
	}
	switch {
	case m.kept != nil:
		m.queueState.SetText(keptText(*m.kept))
	case m.queued == 1:
		m.queueState.SetText(lang.X("status.queued.one", "1 invoice waiting to be sent"))
	case m.queued > 1:
		m.queueState.SetText(lang.X("status.queued", "{{.Count}} invoices waiting to be sent", map[string]any{"Count": m.queued}))
	default:
		m.queueState.SetText("")
	}
	m.queueState.Hidden = m.queueState.Text == ""
	m.queueState.Refresh()
}

// keptText says whose the kept copies are and since when.
func keptText(k invoicing.KeptCopies) string {
	return lang.X("kept.status", "Offline copies of {{.Pipedrive}} and {{.QuickBooks}}, kept {{.Time}}; read-only",
		map[string]any{"Pipedrive": k.Pipedrive, "QuickBooks": k.QuickBooks, "Time": timeText(k.KeptAt)})
}

// keptCard is Settings' card on the kept offline copies, hidden while there are none.
func (s *settingsView) keptCard() fyne.CanvasObject {
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	remove := widget.NewButton(lang.X("kept.delete", "Delete kept copies"), s.askDeleteKept)
	s.kept = widget.NewCard(lang.X("kept.title", "Offline copies"), "", container.NewBorder(nil, nil, nil, remove, text))
	s.showKept()
	return s.kept
}

func (s *settingsView) showKept() {
	if s.kept == nil {
		return
	}
	k := s.m.conn.state.Kept
	if k == nil {
		s.kept.Hide()
		return
	}
	text := s.kept.Content.(*fyne.Container).Objects[0].(*widget.Label)
	text.SetText(lang.X("kept.body", "The deals and invoices of {{.Pipedrive}} and {{.QuickBooks}} stay on this computer for reading, since {{.Time}}. Connecting the same accounts again picks them up.",
		map[string]any{"Pipedrive": k.Pipedrive, "QuickBooks": k.QuickBooks, "Time": timeText(k.KeptAt)}))
	s.kept.Show()
}

// askDeleteKept deletes the kept copies once the rep confirms.
func (s *settingsView) askDeleteKept() {
	m := s.m
	keeper, ok := m.deps.Accounts.(invoicing.KeptAccounts)
	if !ok {
		return
	}
	m.showDialog(dialog.NewConfirm(lang.X("kept.delete.title", "Delete the kept copies?"),
		lang.X("kept.delete.body", "The deals, invoices and drafts kept on this computer are deleted. Pipedrive and QuickBooks keep theirs."),
		func(yes bool) {
			if !yes {
				return
			}
			m.bg.do(localCall, keeper.DeleteKept, func(err error) {
				if errors.Is(err, invoicing.ErrUnsentInvoices) {
					m.showDialog(dialog.NewInformation(lang.X("kept.delete.failed", "Copies not deleted"),
						lang.X("kept.delete.unsent", "Some invoices are still waiting to be sent. Connect the same accounts again to send them first."), m.window), nil)
					return
				}
				if err != nil {
					m.showProblem("delete kept copies", err)
					return
				}
				m.conn.load()
				m.accountsChanged()
			})
		}, m.window), nil)
}
