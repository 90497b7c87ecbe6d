package ui

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// Tab positions in the navigation.
const (
	tabDeals = iota
	tabInvoices
	tabSettings
)

// MainWindow is the Dealbooks window: navigation between Deals, Invoices and Settings, and a status bar with
// the connection state of Pipedrive and QuickBooks.
type MainWindow struct {
	app    fyne.App
	window fyne.Window
	deps   Deps
	bg     *background  // runs the disk and network calls off the UI goroutine, until the window closes
	conn   *connections // connects the accounts, and knows which are connected
	tips   *tips        // the tip the pointer rests on: a cut cell's full text, a button's shortcut

	language string // the language choice in force: "", "en" or "nl"

	tabs            *container.AppTabs
	tab             int // the tab shown, so that leaving Settings is noticed
	pipedriveState  *widget.Label
	quickbooksState *widget.Label
	settings        *settingsView
	deals           *dealsScreen    // nil while not connected
	invoices        *invoicesScreen // nil while not connected
	auto            *autoRefresh    // the background refresh of the current service; nil when off

	dialogs     []openDialog          // the dialogs open, the top one last, for Esc
	keyHandlers map[string]func()     // the window's shortcuts by name
	kept        *invoicing.KeptCopies // the offline copies shown, kept at a disconnect; nil for a connected pair
	queued      int                   // invoices waiting in the outbox, for the status bar
	queueState  *widget.Label         // the queued count, or whose kept copies are shown (kept.go)
	asking      bool                  // the system's save dialog is open (savefile.go)

	// afterKey runs f once the key event being handled is over (fyne.Do queues it behind that event; tests
	// queue it themselves). A dialog focuses its first field that way: see showDialogEsc.
	afterKey func(f func())
}

// NewMainWindow builds the window. The caller shows it.
func NewMainWindow(a fyne.App, deps Deps) *MainWindow {
	m := &MainWindow{app: a, deps: deps, bg: newBackground(deps.Background), afterKey: fyne.Do}
	m.tips = newTips(m.bg)
	_ = m.useLanguage(deps.Language)
	title := "Dealbooks"
	if deps.Demo {
		title = lang.X("window.title.demo", "Dealbooks — demo workspace")
	}
	m.window = a.NewWindow(title)
	m.window.Resize(fyne.NewSize(1024, 680))
	m.window.SetMaster()
	m.window.SetCloseIntercept(m.onClose)
	m.window.SetOnClosed(m.bg.close)
	m.conn = &connections{accounts: deps.Accounts, demo: deps.Demo, window: m.window, bg: m.bg, log: deps.Log,
		shown: m.showConnections, attempted: m.accountsChanged, present: m.showDialogEsc, keys: m,
		redirectURI: deps.QuickBooksRedirect}
	m.installKeys()
	m.build()
	m.conn.load()
	m.startAutoRefresh()
	return m
}

// onClose asks about preferences changed and not saved, and keeps the draft being edited, before the window
// closes, so nothing typed is lost. Closing ends the background calls still running: NewMainWindow ties the
// window's closing to m.bg.close.
func (m *MainWindow) onClose() {
	if m.settings.preferences.unsaved() {
		m.askUnsavedPreferences(m.closeKeepingDraft, func() {})
		return
	}
	m.closeKeepingDraft()
}

// closeKeepingDraft saves the draft being edited, then closes the window.
func (m *MainWindow) closeKeepingDraft() {
	if m.deals == nil || m.deals.deal == nil {
		m.window.Close()
		return
	}
	m.deals.deal.editor.saveThen(m.window.Close)
}

// Window returns the Fyne window.
func (m *MainWindow) Window() fyne.Window { return m.window }

// BringToFront shows the window and asks for focus; a second launch of the app calls it.
func (m *MainWindow) BringToFront() {
	m.window.Show()
	m.window.RequestFocus()
}

// useLanguage switches every string to code; on failure the language stays as it was and the error is logged.
func (m *MainWindow) useLanguage(code string) error {
	if err := UseLanguage(code); err != nil {
		m.deps.Log.Error("switch language", "code", code, "err", err)
		return err
	}
	m.language = code
	return nil
}

// build lays out every string-bearing widget in the current language, keeping the selected tab. It runs again
// when the language changes, which is simpler and surer than retranslating widgets one by one.
func (m *MainWindow) build() {
	selected := tabDeals
	if m.tabs != nil {
		selected = m.tabs.SelectedIndex()
	}
	m.settings = newSettingsView(m)
	m.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("nav.deals", "Deals"), theme.ListIcon(), m.dealsView()),
		container.NewTabItemWithIcon(lang.X("nav.invoices", "Invoices"), theme.DocumentIcon(), m.invoicesView()),
		container.NewTabItemWithIcon(lang.X("nav.settings", "Settings"), theme.SettingsIcon(), m.settings.content),
	)
	m.tabs.SetTabLocation(container.TabLocationLeading)
	m.tabs.SelectIndex(selected)
	m.tab = selected
	m.tabs.OnSelected = m.onTabSelected

	m.pipedriveState = widget.NewLabel("")
	m.quickbooksState = widget.NewLabel("")
	m.queueState = widget.NewLabel("")
	m.queueState.Importance = widget.MediumImportance
	m.showStatus()
	status := container.NewHBox(m.pipedriveState, widget.NewSeparator(), m.quickbooksState, m.queueState)

	m.tips.hide()
	m.window.SetContent(m.tips.over(container.NewBorder(nil, status, nil, nil, m.tabs)))
	m.window.SetMainMenu(m.menu())
}

func (m *MainWindow) menu() *fyne.MainMenu {
	return fyne.NewMainMenu(
		m.actionsMenu(),
		fyne.NewMenu(lang.X("menu.help", "Help"),
			fyne.NewMenuItem(lang.X("menu.keys", "Keyboard shortcuts"), m.showKeys),
			fyne.NewMenuItem(lang.X("menu.about", "About Dealbooks"), m.showAbout),
			fyne.NewMenuItem(lang.X("menu.logs", "Show log files"), func() { m.openFolder(m.deps.Folders.Logs) }),
			fyne.NewMenuItem(lang.X("menu.diagnostics", "Copy diagnostics"), m.copyDiagnostics),
		),
	)
}

func (m *MainWindow) dealsView() fyne.CanvasObject {
	if m.deals != nil && m.deals.deal != nil {
		m.deals.deal.editor.save() // the window is being rebuilt; reopening the deal restores the draft
	}
	m.deals = nil
	if m.deps.Invoicing != nil {
		m.deals = newDealsScreen(m)
		return m.deals.content
	}
	state := m.conn.state
	switch {
	case state.Pipedrive.Connected && state.QuickBooks.Connected:
		return emptyState(theme.ListIcon(),
			lang.X("deals.opening.title", "Opening your accounts"),
			lang.X("deals.opening.body", "Pipedrive and QuickBooks are connected; your deals appear here in a moment."))
	case state.Pipedrive.Connected:
		return emptyState(theme.ListIcon(),
			lang.X("deals.no_quickbooks.title", "QuickBooks is not connected yet"),
			lang.X("deals.no_quickbooks.body", "Connect QuickBooks to turn your Pipedrive deals into invoices."),
			m.conn.emptyStateActions()...)
	}
	return emptyState(theme.ListIcon(),
		lang.X("deals.empty.title", "Pipedrive is not connected yet"),
		lang.X("deals.empty.body", "Your Pipedrive deals will be listed here, newest first, once Pipedrive is connected."),
		m.conn.emptyStateActions()...)
}

// showDealsState redraws the Deals tab's empty state after the connections changed.
func (m *MainWindow) showDealsState() {
	if m.deps.Invoicing != nil || m.tabs == nil {
		return
	}
	m.tabs.Items[tabDeals].Content = m.dealsView()
	m.tabs.Refresh()
}

func (m *MainWindow) invoicesView() fyne.CanvasObject {
	m.invoices = nil
	if m.deps.Invoicing != nil {
		m.invoices = newInvoicesScreen(m)
		return m.invoices.content
	}
	return emptyState(theme.DocumentIcon(),
		lang.X("invoices.empty.title", "No invoices yet"),
		lang.X("invoices.empty.body", "Invoices you create from a deal are listed here with their status, also when you are offline."))
}

// UseService shows the Deals and Invoices screens over inv and the preferences over prefs, or what to connect
// first for nil; the app calls it when the accounts are connected or disconnected.
func (m *MainWindow) UseService(inv Invoicing, prefs PreferenceService) {
	m.deps.Invoicing, m.deps.Preferences = inv, prefs
	m.kept, m.queued = nil, 0
	m.build()
	m.startAutoRefresh()
	m.countQueued()
}

// invoicesChanged reads the Invoices tab again after an invoice was created or changed elsewhere.
func (m *MainWindow) invoicesChanged() {
	if m.invoices != nil {
		m.invoices.list.reload()
	}
	m.countQueued()
}

// emptyState is the centred icon, heading and sentence a view shows while it has nothing to list.
// Actions, if any, are the buttons that get the view going.
func emptyState(icon fyne.Resource, title, body string, actions ...fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(body)
	text.Alignment = fyne.TextAlignCenter
	text.Wrapping = fyne.TextWrapWord
	image := widget.NewIcon(icon)
	box := container.NewVBox(image, heading, text)
	size := fyne.NewSize(420, 160)
	if len(actions) > 0 {
		box.Add(container.NewCenter(container.NewHBox(actions...)))
		size.Height += 50
	}
	return container.NewCenter(container.NewGridWrap(size, box))
}

// showConnections shows the connection state just read: in the status bar, in Settings, and in the Deals tab
// while it waits for the accounts.
func (m *MainWindow) showConnections() {
	m.showStatus()
	m.settings.showConnections()
	m.settings.connect.apply(m.conn.state)
	m.showDealsState()
}

// accountsChanged runs after each attempt to connect or disconnect an account: the app opens the service of
// the pair now connected, and the preferences, which belong to the pair, are read again.
func (m *MainWindow) accountsChanged() {
	if m.deps.AccountsChanged != nil {
		m.deps.AccountsChanged()
	}
	if m.settings.preferences != nil {
		m.settings.preferences.load()
	}
}

func (m *MainWindow) showStatus() {
	m.pipedriveState.SetText(connectionText("Pipedrive", m.conn.state.Pipedrive))
	m.quickbooksState.SetText(connectionText("QuickBooks", m.conn.state.QuickBooks))
	m.showQueueState()
}

// connectionText is "Pipedrive: Acme Ltd" or "Pipedrive: not connected".
func connectionText(service string, c invoicing.Connection) string {
	account := c.Account
	if !c.Connected || account == "" {
		return lang.X("status.not_connected", "{{.Service}}: not connected", map[string]any{"Service": service})
	}
	return lang.X("status.connected", "{{.Service}}: {{.Account}}", map[string]any{"Service": service, "Account": account})
}

// openFolder shows dir in the system's file manager.
func (m *MainWindow) openFolder(dir string) {
	u, err := url.Parse(storage.NewFileURI(dir).String())
	if err != nil {
		m.deps.Log.Error("folder URL", "dir", dir, "err", err)
		return
	}
	if err := m.app.OpenURL(u); err != nil {
		m.deps.Log.Error("open folder", "dir", dir, "err", err)
	}
}
