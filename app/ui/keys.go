package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's keyboard shortcuts. KeyModifierShortcutDefault is Ctrl, and Cmd on macOS.
var (
	keyFind     = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	keyRefresh  = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	keyCreate   = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	keyCreateKP = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
)

// shortcutText is how a shortcut is written for the rep: "Ctrl+F", or "⌘F" on macOS.
func shortcutText(s *desktop.CustomShortcut) string {
	key := string(s.KeyName)
	if s.KeyName == fyne.KeyReturn {
		key = "Enter"
	}
	if fyne.KeyModifierShortcutDefault == fyne.KeyModifierSuper {
		if key == "Enter" {
			key = "↩"
		}
		return "⌘" + key
	}
	return "Ctrl+" + key
}

// installKeys binds the shortcuts to the window's canvas. The Actions menu binds them too, which is what makes
// them work while a text field has the focus: the desktop driver asks the main menu before the focused widget.
func (m *MainWindow) installKeys() {
	c := m.window.Canvas()
	m.keyHandlers = map[string]func(){
		keyFind.ShortcutName():     m.onFindKey,
		keyRefresh.ShortcutName():  m.onRefreshKey,
		keyCreate.ShortcutName():   m.onCreateKey,
		keyCreateKP.ShortcutName(): m.onCreateKey,
	}
	for _, s := range []*desktop.CustomShortcut{keyFind, keyRefresh, keyCreate, keyCreateKP} {
		c.AddShortcut(s, func(s fyne.Shortcut) { m.typedShortcut(s) })
	}
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyEscape:
			m.onEscape()
		case fyne.KeyReturn, fyne.KeyEnter:
			m.onEnter()
		}
	})
}

// typedShortcut runs the window's handler of s; it reports false for a shortcut the window does not have.
func (m *MainWindow) typedShortcut(s fyne.Shortcut) bool {
	h, ok := m.keyHandlers[s.ShortcutName()]
	if ok {
		h()
	}
	return ok
}

// actionsMenu lists the shortcuts as menu items, so they are found by browsing and shown with their keys.
func (m *MainWindow) actionsMenu() *fyne.Menu {
	find := fyne.NewMenuItem(lang.X("menu.find", "Find a deal"), m.onFindKey)
	find.Shortcut = keyFind
	refresh := fyne.NewMenuItem(lang.X("menu.refresh", "Refresh"), m.onRefreshKey)
	refresh.Shortcut = keyRefresh
	create := fyne.NewMenuItem(lang.X("menu.create", "Create invoice"), m.onCreateKey)
	create.Shortcut = keyCreate
	return fyne.NewMenu(lang.X("menu.actions", "Actions"), find, refresh, create)
}

// onFindKey shows the deal list and puts the cursor in its search.
func (m *MainWindow) onFindKey() {
	if m.closeTopDialog() {
		return
	}
	m.tabs.SelectIndex(tabDeals)
	if m.deals == nil {
		return
	}
	if m.deals.deal != nil {
		m.deals.back()
	}
	m.window.Canvas().Focus(m.deals.picker.search)
}

// closeTopDialog closes the dialog on top, if any, as Esc would; the shortcuts act on the window, not on a
// dialog that would otherwise stay open over it.
func (m *MainWindow) closeTopDialog() bool {
	if len(m.dialogs) == 0 {
		return false
	}
	m.onEscape()
	return true
}

// onRefreshKey refreshes what the tab shows: the deals (or the open deal's invoices), or the invoices.
func (m *MainWindow) onRefreshKey() {
	if len(m.dialogs) > 0 {
		return
	}
	switch m.tabs.SelectedIndex() {
	case tabDeals:
		switch {
		case m.deals == nil:
		case m.deals.deal != nil:
			m.deals.deal.tabs.SelectIndex(dealTabHistory)
			m.deals.deal.history.refreshNow()
		case m.deals.picker.stopRefresh == nil: // a second Ctrl+R does not cancel the first
			m.deals.picker.onRefresh()
		}
	case tabInvoices:
		if m.invoices != nil {
			m.invoices.list.refreshNow()
		}
	}
}

// refreshNow refreshes unless a refresh already runs.
func (l *invoiceList) refreshNow() {
	if l.refresh.Visible() {
		l.onRefresh()
	}
}

// onCreateKey creates the invoice of the open deal, as the Create button would.
func (m *MainWindow) onCreateKey() {
	if len(m.dialogs) > 0 || m.tabs.SelectedIndex() != tabDeals || m.deals == nil || m.deals.deal == nil {
		return
	}
	v := m.deals.deal
	if v.editor.content.Objects[0] != v.editor.form || v.editor.create.Disabled() {
		return // still loading, or being created
	}
	v.tabs.SelectIndex(dealTabEditor)
	v.editor.onCreate()
}

// onEscape closes the dialog on top, or else goes back from a deal to the deal list.
func (m *MainWindow) onEscape() {
	if n := len(m.dialogs); n > 0 {
		m.dialogs[n-1].escape()
		return
	}
	if m.tabs.SelectedIndex() == tabDeals && m.deals != nil && m.deals.deal != nil {
		m.deals.back()
	}
}

// onEnter answers the question on top with its default button, when it has one (showConfirm); the focused
// widget gets Enter first, so this is Enter with nothing focused, as a question shows itself.
func (m *MainWindow) onEnter() {
	if n := len(m.dialogs); n > 0 && m.dialogs[n-1].enter != nil {
		m.dialogs[n-1].enter()
	}
}

// openDialog is a dialog the window shows, with what Esc does to it and what Enter does (nil: nothing).
type openDialog struct {
	d      dialog.Dialog
	escape func()
	enter  func()
}

// showConfirm shows a question whose confirm button is the default: Enter presses it, Esc answers "no". A
// question whose "yes" destroys something is shown with showDialog instead, so Enter cannot answer it.
func (m *MainWindow) showConfirm(d *dialog.ConfirmDialog) {
	m.showDialog(d, nil)
	m.dialogs[len(m.dialogs)-1].enter = d.Confirm
}

// showDialog shows d and lets Esc close it (Hide answers "no" to a confirmation). first, if not nil, gets the
// focus, so the rep can type at once.
func (m *MainWindow) showDialog(d dialog.Dialog, first fyne.Focusable) {
	m.showDialogEsc(d, d.Hide, first)
}

// showDialogEsc is showDialog for a dialog where Esc does escape instead of closing it, such as a progress
// dialog whose Esc cancels the work.
func (m *MainWindow) showDialogEsc(d dialog.Dialog, escape func(), first fyne.Focusable) {
	m.dialogs = append(m.dialogs, openDialog{d: d, escape: escape})
	d.SetOnClosed(func() {
		for i := len(m.dialogs) - 1; i >= 0; i-- {
			if m.dialogs[i].d == d {
				m.dialogs = append(m.dialogs[:i], m.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
	if first == nil {
		return
	}
	// Space on a focused button opens many dialogs, and the desktop driver hands that key's character (a space)
	// to whatever has the focus once the button has acted: focused at once, the first field would get it. So
	// it gets the focus after the key event, as a native dialog's field would.
	m.afterKey(func() {
		if slices.ContainsFunc(m.dialogs, func(o openDialog) bool { return o.d == d }) {
			m.window.Canvas().Focus(first)
		}
	})
}

// submitOnEnter makes Enter in each entry confirm the form dialog d.
func submitOnEnter(d *dialog.FormDialog, entries ...*widget.Entry) {
	for _, e := range entries {
		e.OnSubmitted = func(string) { d.Submit() }
	}
}

// textField is a text field that behaves as desktop reps expect: Tab always moves to the next field (a multi-line
// field included, so no tab character ends up in an address), Esc does what it does in the window, and the
// window's shortcuts work while it has the focus.
type textField struct {
	widget.Entry
	keys keyOwner
	// down, if set, is what Down does in a one-line field: the deal search moves into the deals found.
	down func()
}

// keyOwner is what handles the keys a field passes on; the window.
type keyOwner interface {
	typedShortcut(fyne.Shortcut) bool
	onEscape()
}

func newField(keys keyOwner) *textField {
	f := &textField{keys: keys}
	f.ExtendBaseWidget(f)
	return f
}

// newPasswordField is a field that hides what is typed, with a button that shows it.
func newPasswordField(keys keyOwner) *textField {
	f := newField(keys)
	f.Password = true
	f.ActionItem = widget.NewButtonWithIcon("", theme.VisibilityIcon(), func() {
		f.Password = !f.Password
		f.Refresh()
	})
	return f
}

// AcceptsTab is false: Tab moves the focus on.
func (f *textField) AcceptsTab() bool { return false }

// TypedKey passes Esc to the window, and Down to down; a Tab that reaches the field (the test driver types it)
// moves on too.
func (f *textField) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if f.keys != nil {
			f.keys.onEscape()
		}
		return
	case fyne.KeyTab:
		if c := fyne.CurrentApp().Driver().CanvasForObject(f); c != nil {
			c.FocusNext()
		}
		return
	case fyne.KeyDown:
		if f.down != nil && !f.MultiLine {
			f.down()
			return
		}
	}
	f.Entry.TypedKey(ev)
}

// TypedShortcut runs the window's shortcuts, and the field's own (copy, paste…) otherwise.
func (f *textField) TypedShortcut(s fyne.Shortcut) {
	if f.keys != nil && f.keys.typedShortcut(s) {
		return
	}
	f.Entry.TypedShortcut(s)
}

// noTabs replaces the tab characters a multi-line field could hold (from an older draft, or pasted) with a space.
func noTabs(s string) string { return strings.ReplaceAll(s, "\t", " ") }

// showKeys lists the keyboard shortcuts.
func (m *MainWindow) showKeys() {
	rows := [][2]string{
		{shortcutText(keyFind), lang.X("keys.find", "Find a deal: the cursor goes to the deal search")},
		{"↑ ↓  Enter", lang.X("keys.open", "From the search into the deals found, through them, and open the one chosen")},
		{shortcutText(keyCreate), lang.X("keys.create", "Create the invoice of the open deal")},
		{shortcutText(keyRefresh), lang.X("keys.refresh", "Get new deals, or refresh the invoices, of the tab shown")},
		{"Esc", lang.X("keys.escape", "Close the dialog, or go back from a deal to the list")},
		{"Tab  Shift+Tab", lang.X("keys.tab", "Next or previous field, in reading order")},
		{"Enter", lang.X("keys.enter", "Confirm a dialog")},
	}
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		grid.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		text := widget.NewLabel(r[1])
		text.Wrapping = fyne.TextWrapWord
		grid.Add(text)
	}
	d := dialog.NewCustom(lang.X("menu.keys", "Keyboard shortcuts"), lang.X("action.close", "Close"), grid, m.window)
	d.Resize(fyne.NewSize(560, 420))
	m.showDialog(d, nil)
}
