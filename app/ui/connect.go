package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// accountsTimeout bounds a call to Pipedrive or QuickBooks that no browser waits on, such as a revoke.
const accountsTimeout = time.Minute

// connectView is the Connections card in Settings: connect and disconnect each account, enter the
// developer apps, and open the demo.
type connectView struct {
	m       *MainWindow
	content fyne.CanvasObject

	pipedriveConnect, pipedriveToken, pipedriveDisconnect *widget.Button
	sandbox, production, quickbooksDisconnect             *widget.Button
	apps, demo                                            *widget.Button
	pipedriveUser, quickbooksCompany, secrets             *widget.Label
}

// newConnectView builds the card around the two connection-state labels Settings already shows.
func newConnectView(m *MainWindow, pipedrive, quickbooks *widget.Label) *connectView {
	c := &connectView{m: m}
	if m.deps.Accounts == nil {
		c.content = container.NewVBox(pipedrive, quickbooks)
		return c
	}
	c.pipedriveConnect = widget.NewButton(lang.X("connect.pipedrive.browser", "Connect in the browser"), c.connectPipedrive)
	c.pipedriveToken = widget.NewButton(lang.X("connect.pipedrive.token", "Use an API token…"), c.askPipedriveToken)
	c.pipedriveDisconnect = widget.NewButton(lang.X("connect.disconnect", "Disconnect"), func() { c.askDisconnect(invoicing.Pipedrive) })
	c.sandbox = widget.NewButton(lang.X("connect.quickbooks.sandbox", "Connect a sandbox company"), func() { c.connectQuickBooks(true) })
	c.production = widget.NewButton(lang.X("connect.quickbooks.production", "Connect a company"), func() { c.connectQuickBooks(false) })
	c.quickbooksDisconnect = widget.NewButton(lang.X("connect.disconnect", "Disconnect"), func() { c.askDisconnect(invoicing.QuickBooks) })
	c.apps = widget.NewButton(lang.X("connect.apps", "Developer apps…"), c.editApps)
	c.demo = widget.NewButton(lang.X("connect.demo", "Try the demo"), m.tryDemo)
	c.secrets = widget.NewLabel("")
	c.secrets.Wrapping = fyne.TextWrapWord
	c.pipedriveUser = widget.NewLabel("")
	c.quickbooksCompany = widget.NewLabel("")
	c.content = container.NewVBox(
		pipedrive, c.pipedriveUser, container.NewHBox(c.pipedriveConnect, c.pipedriveToken, c.pipedriveDisconnect),
		widget.NewSeparator(),
		quickbooks, c.quickbooksCompany, container.NewHBox(c.production, c.sandbox, c.quickbooksDisconnect),
		widget.NewSeparator(),
		c.secrets, container.NewHBox(c.apps, c.demo),
	)
	c.apply(invoicing.AccountsState{})
	m.inBackground(c.load)
	return c
}

// load reads the accounts' state off the UI goroutine.
func (c *connectView) load() {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	state, err := c.m.deps.Accounts.State(ctx)
	if err != nil {
		c.m.deps.Log.Error("read accounts", "err", err)
		return
	}
	fyne.Do(func() { c.apply(state) })
}

// apply enables the buttons that make sense for state.
func (c *connectView) apply(state invoicing.AccountsState) {
	enable(c.pipedriveDisconnect, state.Pipedrive.Connected)
	enable(c.quickbooksDisconnect, state.QuickBooks.Connected)
	showText(c.pipedriveUser, pipedriveDetail(state.Pipedrive))
	showText(c.quickbooksCompany, quickbooksDetail(state.QuickBooks))
	if state.Demo {
		c.demo.Hide()
		c.apps.Hide()
		c.production.Hide()
	} else {
		c.demo.Show()
		c.apps.Show()
		c.production.Show()
	}
	switch {
	case state.Demo:
		c.secrets.SetText(lang.X("connect.secrets.demo", "The demo keeps its sign-ins in a file in its own data folder; they only open the built-in sample services."))
	case state.SecretsInFile:
		c.secrets.SetText(lang.X("connect.secrets.file", "No system keychain answered, so sign-ins are kept in a file only you can read, in the data folder."))
	default:
		c.secrets.SetText(lang.X("connect.secrets.keychain", "Sign-ins are kept in the system keychain, never in Dealbooks' database or logs."))
	}
}

// pipedriveDetail says whom the Pipedrive connection acts as, and how.
func pipedriveDetail(c invoicing.Connection) string {
	switch {
	case !c.Connected || c.User == "":
		return ""
	case c.APIToken:
		return lang.X("connect.pipedrive.user_token", "Signed in as {{.User}}, with a personal API token.", map[string]any{"User": c.User})
	}
	return lang.X("connect.pipedrive.user", "Signed in as {{.User}}.", map[string]any{"User": c.User})
}

// quickbooksDetail says which kind of QuickBooks company is connected.
func quickbooksDetail(c invoicing.Connection) string {
	switch {
	case !c.Connected:
		return ""
	case c.Sandbox:
		return lang.X("connect.quickbooks.sandbox_company", "Sandbox company {{.ID}}.", map[string]any{"ID": c.AccountID})
	}
	return lang.X("connect.quickbooks.company", "Company {{.ID}}.", map[string]any{"ID": c.AccountID})
}

// showText shows l with text, or hides it when text is empty.
func showText(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

func enable(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// refresh reads the connections again after one changed.
func (c *connectView) refresh() { c.m.connectionsChanged() }

// connectionsChanged tells the app that the accounts changed, and reads the connections again: the
// status bar's, the Connections card's, and the preferences that belong to the account pair.
func (m *MainWindow) connectionsChanged() {
	if m.deps.AccountsChanged != nil {
		m.deps.AccountsChanged()
	}
	m.inBackground(m.loadConnections)
	if m.deps.Accounts != nil {
		m.inBackground(m.settings.connect.load)
	}
	if m.settings.preferences != nil {
		m.inBackground(m.settings.preferences.load)
	}
}

func (c *connectView) connectPipedrive() {
	c.m.connectPipedrive(c.refresh)
}

func (c *connectView) connectQuickBooks(sandbox bool) {
	c.m.connectQuickBooks(sandbox, c.refresh)
}

// askPipedriveToken asks for a personal API token and connects with it.
func (c *connectView) askPipedriveToken() {
	entry := widget.NewPasswordEntry()
	item := widget.NewFormItem(lang.X("connect.token.label", "API token"), entry)
	item.HintText = lang.X("connect.token.hint", "In Pipedrive, open your name, then Personal preferences, then API, and copy the token.")
	items := []*widget.FormItem{item}
	d := dialog.NewForm(lang.X("connect.token.title", "Connect Pipedrive with an API token"),
		lang.X("connect.token.connect", "Connect"), lang.X("connect.cancel", "Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			token := entry.Text
			c.m.runConnect(connectJob{
				provider: invoicing.Pipedrive,
				waiting:  lang.X("connect.wait.token", "Checking the API token with Pipedrive…"),
				apiToken: true,
				work: func(ctx context.Context) error {
					_, err := c.m.deps.Accounts.ConnectPipedriveToken(ctx, token)
					return err
				},
				done: c.refresh,
			})
		}, c.m.window)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}

// askDisconnect asks whether to keep the offline history, then disconnects.
func (c *connectView) askDisconnect(p invoicing.Provider) {
	body := widget.NewLabel(lang.X("connect.disconnect.body", "Dealbooks will end its access to {{.Service}} and forget the sign-in. Keep the deals and invoices already on this computer, to read them offline?", map[string]any{"Service": p.Name()}))
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(lang.X("connect.disconnect.title", "Disconnect {{.Service}}?", map[string]any{"Service": p.Name()}), body, c.m.window)
	disconnect := func(keep bool) func() {
		return func() {
			d.Hide()
			c.m.inBackground(func() { c.disconnect(p, keep) })
		}
	}
	d.SetButtons([]fyne.CanvasObject{
		widget.NewButton(lang.X("connect.cancel", "Cancel"), d.Hide),
		widget.NewButton(lang.X("connect.disconnect.delete", "Delete them"), disconnect(false)),
		widget.NewButton(lang.X("connect.disconnect.keep", "Keep them"), disconnect(true)),
	})
	d.Resize(fyne.NewSize(480, 220))
	d.Show()
}

func (c *connectView) disconnect(p invoicing.Provider, keepHistory bool) {
	ctx, cancel := context.WithTimeout(context.Background(), accountsTimeout)
	defer cancel()
	err := c.m.deps.Accounts.Disconnect(ctx, p, keepHistory)
	if err != nil {
		c.m.deps.Log.Error("disconnect", "provider", p, "err", err)
	}
	fyne.Do(func() {
		if err != nil {
			c.m.explain(lang.X("connect.disconnect.failed", "Not fully disconnected"), connectErrorText(p, false, err))
		}
		c.refresh()
	})
}

// editApps lets the user enter the client ID and secret of their own developer apps.
func (c *connectView) editApps() {
	pipedriveID, quickbooksID := widget.NewEntry(), widget.NewEntry()
	pipedriveSecret, quickbooksSecret := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("connect.apps.pipedrive.id", "Pipedrive client ID"), pipedriveID),
		widget.NewFormItem(lang.X("connect.apps.pipedrive.secret", "Pipedrive client secret"), pipedriveSecret),
		widget.NewFormItem(lang.X("connect.apps.quickbooks.id", "QuickBooks client ID"), quickbooksID),
		widget.NewFormItem(lang.X("connect.apps.quickbooks.secret", "QuickBooks client secret"), quickbooksSecret),
	}
	d := dialog.NewForm(lang.X("connect.apps.title", "Developer apps"), lang.X("connect.apps.save", "Save"),
		lang.X("connect.cancel", "Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			apps := map[invoicing.Provider]developerApp{
				invoicing.Pipedrive:  {id: pipedriveID.Text, secret: pipedriveSecret.Text},
				invoicing.QuickBooks: {id: quickbooksID.Text, secret: quickbooksSecret.Text},
			}
			c.m.inBackground(func() { c.saveApps(apps) })
		}, c.m.window)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}

// developerApp is a client ID and secret as typed.
type developerApp struct{ id, secret string }

// saveApps saves the apps whose client ID was typed; a blank ID leaves that app as it was.
func (c *connectView) saveApps(apps map[invoicing.Provider]developerApp) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	var err error
	for p, app := range apps {
		if app.id == "" {
			continue
		}
		if err = c.m.deps.Accounts.SaveClient(ctx, p, app.id, app.secret); err != nil {
			c.m.deps.Log.Error("save developer app", "provider", p, "err", err)
			break
		}
	}
	fyne.Do(func() {
		if err != nil {
			c.m.explain(lang.X("connect.apps.failed", "Developer apps not saved"),
				lang.X("connect.apps.failed.body", "The client ID and secret could not be saved in the keychain. Try again; if it keeps failing, send the log file to support."))
		}
		c.refresh()
	})
}

// connectPipedrive runs the browser sign-in to Pipedrive, then done on the UI goroutine.
func (m *MainWindow) connectPipedrive(done func()) {
	m.runConnect(connectJob{
		provider: invoicing.Pipedrive,
		waiting:  waitingForBrowser(),
		work: func(ctx context.Context) error {
			_, err := m.deps.Accounts.ConnectPipedrive(ctx)
			return err
		},
		paste: func() { m.pasteSignIn(invoicing.Pipedrive, false, done) },
		done:  done,
	})
}

// connectQuickBooks signs in to a QuickBooks company (a sandbox one for sandbox) through the browser.
func (m *MainWindow) connectQuickBooks(sandbox bool, done func()) {
	m.runConnect(connectJob{
		provider: invoicing.QuickBooks,
		waiting:  waitingForBrowser(),
		work: func(ctx context.Context) error {
			_, err := m.deps.Accounts.ConnectQuickBooks(ctx, sandbox)
			return err
		},
		paste: func() { m.pasteSignIn(invoicing.QuickBooks, sandbox, done) },
		done:  done,
	})
}

// tryDemo opens the demo workspace.
func (m *MainWindow) tryDemo() {
	m.inBackground(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		if err := m.deps.Accounts.TryDemo(ctx); err != nil {
			m.deps.Log.Error("open the demo", "err", err)
			fyne.Do(func() {
				m.explain(lang.X("connect.demo.failed", "The demo did not open"),
					lang.X("connect.demo.failed.body", "Start Dealbooks with -demo instead, or send the log file to support."))
			})
		}
	})
}

// connectJob is one attempt to connect an account, which a progress dialog waits on.
type connectJob struct {
	provider invoicing.Provider
	waiting  string // what the dialog says while it waits
	apiToken bool   // the attempt checks an API token, which changes what a refusal means
	work     func(ctx context.Context) error
	// paste, when set, is offered on the dialog for a browser that does not come back: it ends this
	// attempt and signs in by pasting the address instead.
	paste func()
	done  func() // runs on the UI goroutine afterwards
}

func waitingForBrowser() string {
	return lang.X("connect.wait.browser", "Approve Dealbooks in the browser window that opened, then come back here.")
}

// runConnect shows a progress dialog whose Cancel button cancels the job's work, runs the work off the
// UI goroutine, and explains a failure in one sentence.
func (m *MainWindow) runConnect(job connectJob) {
	ctx, cancel := context.WithCancel(context.Background())
	pasting := false
	text := widget.NewLabel(job.waiting)
	text.Wrapping = fyne.TextWrapWord
	progress := dialog.NewCustomWithoutButtons(lang.X("connect.wait.title", "Connecting {{.Service}}", map[string]any{"Service": job.provider.Name()}),
		container.NewVBox(text, widget.NewProgressBarInfinite()), m.window)
	buttons := []fyne.CanvasObject{widget.NewButton(lang.X("connect.cancel", "Cancel"), cancel)}
	if job.paste != nil {
		buttons = append(buttons, widget.NewButton(lang.X("connect.paste.instead", "Paste the address instead…"), func() {
			pasting = true
			cancel()
		}))
	}
	progress.SetButtons(buttons)
	progress.Resize(fyne.NewSize(460, 180))
	progress.Show()
	m.inBackground(func() {
		defer cancel()
		err := job.work(ctx)
		if err != nil {
			m.deps.Log.Warn("connect", "provider", job.provider, "err", err)
		}
		fyne.Do(func() {
			progress.Hide()
			var ce *invoicing.ConnectError
			cancelled := errors.As(err, &ce) && ce.Reason == invoicing.Cancelled
			switch {
			case cancelled && pasting:
				job.paste()
				return
			case err != nil && !cancelled:
				m.explain(lang.X("connect.failed", "{{.Service}} is not connected", map[string]any{"Service": job.provider.Name()}),
					connectErrorText(job.provider, job.apiToken, err))
			}
			job.done()
		})
	})
}

// pasteSignIn opens the provider's sign-in page again and asks for the address the browser ends on.
func (m *MainWindow) pasteSignIn(p invoicing.Provider, sandbox bool, done func()) {
	m.inBackground(func() {
		ctx, cancel := context.WithTimeout(context.Background(), accountsTimeout)
		defer cancel()
		finish, err := m.deps.Accounts.PasteSignIn(ctx, p, sandbox)
		fyne.Do(func() {
			if err != nil {
				m.explain(lang.X("connect.failed", "{{.Service}} is not connected", map[string]any{"Service": p.Name()}), connectErrorText(p, false, err))
				done()
				return
			}
			m.askPastedAddress(p, finish, done)
		})
	})
}

// askPastedAddress asks for the address the browser ended on and connects with it.
func (m *MainWindow) askPastedAddress(p invoicing.Provider, finish func(context.Context, string) (invoicing.Connection, error), done func()) {
	entry := widget.NewEntry()
	item := widget.NewFormItem(lang.X("connect.paste.label", "Address"), entry)
	item.HintText = lang.X("connect.paste.hint", "Approve Dealbooks in the browser, then copy the whole address from its address bar, even if the page shows an error, and paste it here.")
	d := dialog.NewForm(lang.X("connect.paste.title", "Paste the address from the browser"),
		lang.X("connect.token.connect", "Connect"), lang.X("connect.cancel", "Cancel"), []*widget.FormItem{item}, func(ok bool) {
			if !ok {
				done()
				return
			}
			pasted := entry.Text
			m.runConnect(connectJob{
				provider: p,
				waiting:  lang.X("connect.wait.paste", "Checking the address with {{.Service}}…", map[string]any{"Service": p.Name()}),
				work: func(ctx context.Context) error {
					_, err := finish(ctx, pasted)
					return err
				},
				done: done,
			})
		}, m.window)
	d.Resize(fyne.NewSize(560, 220))
	d.Show()
}

// explain shows a title and one sentence saying what went wrong and what to do next.
func (m *MainWindow) explain(title, sentence string) {
	d := dialog.NewInformation(title, sentence, m.window)
	d.Resize(fyne.NewSize(460, 180))
	d.Show()
}

// connectErrorText is one plain sentence saying what went wrong and what to do next.
func connectErrorText(p invoicing.Provider, apiToken bool, err error) string {
	service := map[string]any{"Service": p.Name()}
	var ce *invoicing.ConnectError
	if !errors.As(err, &ce) {
		return lang.X("connect.error.other", "Something went wrong while connecting {{.Service}}. Try again; if it keeps failing, send the log file to support.", service)
	}
	switch ce.Reason {
	case invoicing.NoClient:
		return lang.X("connect.error.no_client", "Dealbooks knows no {{.Service}} developer app yet. Enter its client ID and secret under Developer apps, or try the demo.", service)
	case invoicing.Denied:
		return lang.X("connect.error.denied", "Access was declined in the browser. Press Connect again and choose to allow Dealbooks.", service)
	case invoicing.WrongAttempt:
		return lang.X("connect.error.wrong_attempt", "The browser answered for an earlier sign-in, so it was ignored. Press Connect to start again.", service)
	case invoicing.TimedOut:
		return lang.X("connect.error.timeout", "The browser did not come back in time. Press Connect to try again.", service)
	case invoicing.BadToken:
		if apiToken {
			return lang.X("connect.error.bad_api_token", "Pipedrive did not accept this API token. Copy it again from Personal preferences, API, and paste it here.", service)
		}
		return lang.X("connect.error.bad_client", "{{.Service}} did not accept the developer app's client ID or secret. Check them under Developer apps.", service)
	case invoicing.Unreachable:
		return lang.X("connect.error.unreachable", "{{.Service}} cannot be reached. Check the network connection and try again.", service)
	case invoicing.BadPaste:
		return lang.X("connect.error.bad_paste", "That is not the address the browser ended on. Copy the whole address bar after approving, and paste it again.", service)
	case invoicing.NoBrowser:
		return lang.X("connect.error.no_browser", "Dealbooks could not open a web browser. Choose a default browser in your system settings, then press Connect again.", service)
	case invoicing.HistoryKept:
		return lang.X("connect.error.history_kept", "{{.Service}} is disconnected, but the invoices on this computer were kept: some are still waiting to be sent. Connect the same accounts again to send them.", service)
	case invoicing.NotRevoked:
		return lang.X("connect.error.not_revoked", "Dealbooks forgot the sign-in, but {{.Service}} could not be told. Remove Dealbooks from the connected apps in {{.Service}} to end its access.", service)
	}
	return lang.X("connect.error.other", "Something went wrong while connecting {{.Service}}. Try again; if it keeps failing, send the log file to support.", service)
}

// connectQuickBooksAction is the Deals empty state's button once Pipedrive is connected: connect QuickBooks.
func (m *MainWindow) connectQuickBooksAction() []fyne.CanvasObject {
	if m.deps.Accounts == nil {
		return nil
	}
	connect := widget.NewButton(lang.X("deals.empty.connect_quickbooks", "Connect QuickBooks"), func() {
		m.connectQuickBooks(m.deps.Demo, m.connectionsChanged) // the demo's QuickBooks stands in for a sandbox company
	})
	connect.Importance = widget.HighImportance
	return []fyne.CanvasObject{connect}
}

// connectActions are the Deals empty state's buttons: connect Pipedrive, or try the demo.
func (m *MainWindow) connectActions() []fyne.CanvasObject {
	if m.deps.Accounts == nil {
		return nil
	}
	connect := widget.NewButton(lang.X("deals.empty.connect", "Connect Pipedrive"), func() {
		m.connectPipedrive(m.connectionsChanged)
	})
	connect.Importance = widget.HighImportance
	if m.deps.Demo {
		return []fyne.CanvasObject{connect}
	}
	return []fyne.CanvasObject{connect, widget.NewButton(lang.X("connect.demo", "Try the demo"), m.tryDemo)}
}
