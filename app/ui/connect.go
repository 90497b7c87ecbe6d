package ui

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dealbooks/app/invoicing"
)

// connections connects and disconnects the Pipedrive and QuickBooks accounts through the accounts port: the
// browser sign-ins, pasting the address, the API token, the developer apps and the demo. It keeps the
// connection state as the port last reported it, the one source the status bar, Settings and the Deals tab
// read.
type connections struct {
	accounts invoicing.Accounts // nil: nothing can be connected, and nothing is
	demo     bool
	window   fyne.Window
	bg       *background
	log      *slog.Logger

	// present shows a dialog, with what Esc does to it and the field to focus (nil: none).
	present func(d dialog.Dialog, escape func(), first fyne.Focusable)
	keys    keyOwner // the window, for the keys of the dialogs' fields
	// redirectURI is the redirect URI the QuickBooks developer app must register; "" means defaultRedirectURI.
	redirectURI string
	// quickbooksSetup is the guidance in the open Set up QuickBooks dialog, for tests.
	quickbooksSetup *fyne.Container

	state invoicing.AccountsState // as last read
	// shown runs on the UI goroutine each time the state was read.
	shown func()
	// attempted runs on the UI goroutine after each attempt to connect or disconnect, before the state is
	// read again.
	attempted func()
}

// load reads the accounts' state, then shows it.
func (c *connections) load() {
	if c.accounts == nil {
		return
	}
	call(c.bg, localCall, c.accounts.State, func(state invoicing.AccountsState, err error) {
		if err != nil {
			c.log.Error("read accounts", "err", err)
			return
		}
		c.state = state
		c.shown()
	})
}

// changed tells the window an attempt to connect or disconnect ended, and reads the state again.
func (c *connections) changed() {
	if c.attempted != nil {
		c.attempted()
	}
	c.load()
}

// connectPipedrive runs the browser sign-in to Pipedrive.
func (c *connections) connectPipedrive() {
	c.run(connectJob{
		provider: invoicing.Pipedrive,
		waiting:  waitingForBrowser(),
		work: func(ctx context.Context) error {
			_, err := c.accounts.ConnectPipedrive(ctx)
			return err
		},
		paste: func() { c.pasteSignIn(invoicing.Pipedrive, false) },
	})
}

// connectQuickBooks signs in to a QuickBooks company (a sandbox one for sandbox) through the browser.
func (c *connections) connectQuickBooks(sandbox bool) {
	c.run(connectJob{
		provider: invoicing.QuickBooks,
		waiting:  waitingForBrowser(),
		work: func(ctx context.Context) error {
			_, err := c.accounts.ConnectQuickBooks(ctx, sandbox)
			return err
		},
		paste: func() { c.pasteSignIn(invoicing.QuickBooks, sandbox) },
	})
}

// askPipedriveToken asks for a personal API token and connects with it.
func (c *connections) askPipedriveToken() {
	entry := newPasswordField(c.keys)
	item := widget.NewFormItem(lang.X("connect.token.label", "API token"), entry)
	item.HintText = lang.X("connect.token.hint", "In Pipedrive, open your name, then Personal preferences, then API, and copy the token.")
	open := widget.NewButtonWithIcon(lang.X("connect.token.open", "Open that Pipedrive page"), theme.ComputerIcon(), func() { c.openPage(pipedriveAPIPage) })
	items := []*widget.FormItem{item, widget.NewFormItem("", container.NewHBox(open))}
	d := dialog.NewForm(lang.X("connect.token.title", "Connect Pipedrive with an API token"),
		lang.X("connect.token.connect", "Connect"), lang.X("connect.cancel", "Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			token := entry.Text
			c.run(connectJob{
				provider: invoicing.Pipedrive,
				waiting:  lang.X("connect.wait.token", "Checking the API token with Pipedrive…"),
				apiToken: true,
				work: func(ctx context.Context) error {
					_, err := c.accounts.ConnectPipedriveToken(ctx, token)
					return err
				},
			})
		}, c.window)
	d.Resize(fyne.NewSize(460, 200))
	submitOnEnter(d, &entry.Entry)
	c.present(d, d.Hide, entry)
}

// askDisconnect asks whether to keep the offline history, then disconnects.
func (c *connections) askDisconnect(p invoicing.Provider) {
	body := widget.NewLabel(lang.X("connect.disconnect.body", "Dealbooks will end its access to {{.Service}} and forget the sign-in. Keep the deals and invoices already on this computer, to read them offline?", map[string]any{"Service": p.Name()}))
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons(lang.X("connect.disconnect.title", "Disconnect {{.Service}}?", map[string]any{"Service": p.Name()}), body, c.window)
	disconnect := func(keep bool) func() {
		return func() {
			d.Hide()
			c.disconnect(p, keep)
		}
	}
	d.SetButtons([]fyne.CanvasObject{
		widget.NewButton(lang.X("connect.cancel", "Cancel"), d.Hide),
		widget.NewButton(lang.X("connect.disconnect.delete", "Delete them"), disconnect(false)),
		widget.NewButton(lang.X("connect.disconnect.keep", "Keep them"), disconnect(true)),
	})
	d.Resize(fyne.NewSize(480, 220))
	c.present(d, d.Hide, nil)
}

func (c *connections) disconnect(p invoicing.Provider, keepHistory bool) {
	c.bg.do(accountsCall, func(ctx context.Context) error {
		err := c.accounts.Disconnect(ctx, p, keepHistory)
		if err != nil {
			c.log.Error("disconnect", "provider", p, "err", err)
		}
		return err
	}, func(err error) {
		if err != nil {
			c.explain(lang.X("connect.disconnect.failed", "Not fully disconnected"), connectErrorText(p, false, err))
		}
		c.changed()
	})
}

// editApps lets the user enter the client ID and secret of their own developer apps.
func (c *connections) editApps() {
	pipedriveID, quickbooksID := newField(c.keys), newField(c.keys)
	pipedriveSecret, quickbooksSecret := newPasswordField(c.keys), newPasswordField(c.keys)
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
			c.saveApps(map[invoicing.Provider]developerApp{
				invoicing.Pipedrive:  {id: pipedriveID.Text, secret: pipedriveSecret.Text},
				invoicing.QuickBooks: {id: quickbooksID.Text, secret: quickbooksSecret.Text},
			})
		}, c.window)
	d.Resize(fyne.NewSize(520, 300))
	submitOnEnter(d, &pipedriveID.Entry, &pipedriveSecret.Entry, &quickbooksID.Entry, &quickbooksSecret.Entry)
	c.present(d, d.Hide, pipedriveID)
}

// defaultRedirectURI is the loopback redirect URI Dealbooks signs in with unless the app is told another
// (Deps.QuickBooksRedirect); app/accounts uses the same by default.
const defaultRedirectURI = "http://localhost:53682/callback"

// developerApp is a client ID and secret as typed.
type developerApp struct{ id, secret string }

// saveApps saves the apps whose client ID was typed; a blank ID leaves that app as it was.
func (c *connections) saveApps(apps map[invoicing.Provider]developerApp) {
	c.bg.do(localCall, func(ctx context.Context) error {
		for p, app := range apps {
			if app.id == "" {
				continue
			}
			if err := c.accounts.SaveClient(ctx, p, app.id, app.secret); err != nil {
				c.log.Error("save developer app", "provider", p, "err", err)
				return err
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			c.explain(lang.X("connect.apps.failed", "Developer apps not saved"),
				lang.X("connect.apps.failed.body", "The client ID and secret could not be saved in the keychain. Try again; if it keeps failing, send the log file to support."))
		}
		c.changed()
	})
}

// tryDemo opens the demo workspace.
func (c *connections) tryDemo() {
	c.bg.do(localCall, func(ctx context.Context) error {
		err := c.accounts.TryDemo(ctx)
		if err != nil {
			c.log.Error("open the demo", "err", err)
		}
		return err
	}, func(err error) {
		if err != nil {
			c.explain(lang.X("connect.demo.failed", "The demo did not open"),
				lang.X("connect.demo.failed.body", "Start Dealbooks with -demo instead, or send the log file to support."))
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
}

func waitingForBrowser() string {
	return lang.X("connect.wait.browser", "Approve Dealbooks in the browser window that opened, then come back here.")
}

// run shows a progress dialog whose Cancel button cancels the job's work, runs the work off the UI
// goroutine, explains a failure in one sentence, and reads the state again.
func (c *connections) run(job connectJob) {
	ctx, cancel := c.bg.scope()
	pasting := false
	text := widget.NewLabel(job.waiting)
	text.Wrapping = fyne.TextWrapWord
	progress := dialog.NewCustomWithoutButtons(lang.X("connect.wait.title", "Connecting {{.Service}}", map[string]any{"Service": job.provider.Name()}),
		container.NewVBox(text, widget.NewProgressBarInfinite()), c.window)
	buttons := []fyne.CanvasObject{widget.NewButton(lang.X("connect.cancel", "Cancel"), cancel)}
	if job.paste != nil {
		buttons = append(buttons, widget.NewButton(lang.X("connect.paste.instead", "Paste the address instead…"), func() {
			pasting = true
			cancel()
		}))
	}
	progress.SetButtons(buttons)
	progress.Resize(fyne.NewSize(460, 180))
	c.present(progress, cancel, nil) // Esc cancels, as the Cancel button does
	work := func(ctx context.Context) (struct{}, error) {
		err := job.work(ctx)
		if err != nil {
			c.log.Warn("connect", "provider", job.provider, "err", err)
		}
		return struct{}{}, err
	}
	callIn(c.bg, ctx, signInCall, work, func(_ struct{}, err error) {
		cancel()
		progress.Hide()
		var ce *invoicing.ConnectError
		cancelled := errors.As(err, &ce) && ce.Reason == invoicing.Cancelled
		switch {
		case cancelled && pasting:
			job.paste()
			return
		case err != nil && !cancelled:
			c.explain(lang.X("connect.failed", "{{.Service}} is not connected", map[string]any{"Service": job.provider.Name()}),
				connectErrorText(job.provider, job.apiToken, err))
		}
		c.changed()
	})
}

// pasteSignIn opens the provider's sign-in page again and asks for the address the browser ends on.
func (c *connections) pasteSignIn(p invoicing.Provider, sandbox bool) {
	work := func(ctx context.Context) (func(context.Context, string) (invoicing.Connection, error), error) {
		return c.accounts.PasteSignIn(ctx, p, sandbox)
	}
	call(c.bg, accountsCall, work, func(finish func(context.Context, string) (invoicing.Connection, error), err error) {
		if err != nil {
			c.explain(lang.X("connect.failed", "{{.Service}} is not connected", map[string]any{"Service": p.Name()}), connectErrorText(p, false, err))
			c.changed()
			return
		}
		c.askPastedAddress(p, finish)
	})
}

// askPastedAddress asks for the address the browser ended on and connects with it.
func (c *connections) askPastedAddress(p invoicing.Provider, finish func(context.Context, string) (invoicing.Connection, error)) {
	entry := newField(c.keys)
	item := widget.NewFormItem(lang.X("connect.paste.label", "Address"), entry)
	item.HintText = lang.X("connect.paste.hint", "Approve Dealbooks in the browser, then copy the whole address from its address bar, even if the page shows an error, and paste it here.")
	d := dialog.NewForm(lang.X("connect.paste.title", "Paste the address from the browser"),
		lang.X("connect.token.connect", "Connect"), lang.X("connect.cancel", "Cancel"), []*widget.FormItem{item}, func(ok bool) {
			if !ok {
				c.changed()
				return
			}
			pasted := entry.Text
			c.run(connectJob{
				provider: p,
				waiting:  lang.X("connect.wait.paste", "Checking the address with {{.Service}}…", map[string]any{"Service": p.Name()}),
				work: func(ctx context.Context) error {
					_, err := finish(ctx, pasted)
					return err
				},
			})
		}, c.window)
	d.Resize(fyne.NewSize(560, 220))
	submitOnEnter(d, &entry.Entry)
	c.present(d, d.Hide, entry)
}

// explain shows a title and one sentence saying what went wrong and what to do next.
func (c *connections) explain(title, sentence string) {
	d := dialog.NewInformation(title, sentence, c.window)
	d.Resize(fyne.NewSize(460, 180))
	c.present(d, d.Hide, nil)
}

// emptyStateActions are the Deals tab's buttons while the accounts are not both connected: what works with
// what is known. Pipedrive by API token always works; the browser sign-in only with a developer app.
// QuickBooks needs a developer app: without one, a short guided setup comes first.
func (c *connections) emptyStateActions() []fyne.CanvasObject {
	if c.accounts == nil {
		return nil
	}
	if c.state.Pipedrive.Connected {
		if !c.state.HasClient[invoicing.QuickBooks] && !c.demo {
			setup := widget.NewButton(lang.X("firstrun.quickbooks.setup", "Set up QuickBooks…"), c.setUpQuickBooks)
			setup.Importance = widget.HighImportance
			return []fyne.CanvasObject{setup}
		}
		connect := widget.NewButton(lang.X("connect.quickbooks.production", "Connect a company"), func() {
			c.connectQuickBooks(c.demo) // the demo's QuickBooks stands in for a sandbox company
		})
		connect.Importance = widget.HighImportance
		if c.demo {
			return []fyne.CanvasObject{connect}
		}
		sandbox := widget.NewButton(lang.X("connect.quickbooks.sandbox", "Connect a sandbox company"), func() { c.connectQuickBooks(true) })
		return []fyne.CanvasObject{container.NewVBox(container.NewHBox(connect, sandbox), sandboxNote())}
	}
	token := widget.NewButton(lang.X("firstrun.pipedrive.token", "Connect with an API token…"), c.askPipedriveToken)
	actions := []fyne.CanvasObject{token}
	if c.state.HasClient[invoicing.Pipedrive] || c.demo {
		browser := widget.NewButton(lang.X("deals.empty.connect", "Connect Pipedrive"), c.connectPipedrive)
		browser.Importance = widget.HighImportance
		actions = []fyne.CanvasObject{browser, token}
	} else {
		token.Importance = widget.HighImportance
	}
	if !c.demo {
		actions = append(actions, widget.NewButton(lang.X("connect.demo", "Try the demo"), c.tryDemo))
	}
	return actions
}

// sandboxNote says in one sentence each what the two kinds of QuickBooks company are.
func sandboxNote() fyne.CanvasObject {
	l := widget.NewLabel(lang.X("firstrun.quickbooks.kinds", "A company is your real books: invoices go to real customers. A sandbox company is a test company from Intuit's developer site, for trying Dealbooks without touching real books."))
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// pipedriveAPIPage is where Pipedrive shows the rep's personal API token.
const pipedriveAPIPage = "https://app.pipedrive.com/settings/api"

// intuitDeveloperPage is where an Intuit developer app is registered.
const intuitDeveloperPage = "https://developer.intuit.com/app/developer/dashboard"

// openPage opens a web page in the system browser.
func (c *connections) openPage(page string) {
	u, err := url.Parse(page)
	if err == nil {
		err = fyne.CurrentApp().OpenURL(u)
	}
	if err != nil {
		c.log.Error("open page", "page", page, "err", err)
	}
}

// checkClientID and checkClientSecret say what is wrong with a developer app's key as typed, before it is
// saved: Intuit's keys are one word of letters and digits, some dozens long.
func checkClientID(s string) error {
	switch s = strings.TrimSpace(s); {
	case s == "":
		return errors.New(lang.X("firstrun.keys.id_missing", "Paste the Client ID from the app's Keys & credentials page."))
	case strings.ContainsAny(s, " \t\n") || len(s) < 20:
		return errors.New(lang.X("firstrun.keys.id_bad", "This is not a whole Client ID: copy it again with the copy button on Intuit's page."))
	}
	return nil
}

func checkClientSecret(s string) error {
	switch s = strings.TrimSpace(s); {
	case s == "":
		return errors.New(lang.X("firstrun.keys.secret_missing", "Paste the Client Secret from the app's Keys & credentials page."))
	case strings.ContainsAny(s, " \t\n") || len(s) < 20:
		return errors.New(lang.X("firstrun.keys.secret_bad", "This is not a whole Client Secret: copy it again with the copy button on Intuit's page."))
	}
	return nil
}

// setUpQuickBooks guides the rep through registering an Intuit developer app: what to register, the redirect
// URI to give it, and its keys, checked before the dialog closes. The QuickBooks sign-in follows.
func (c *connections) setUpQuickBooks() {
	steps := widget.NewLabel(lang.X("firstrun.quickbooks.steps", "QuickBooks lets Dealbooks in through an app you register once at Intuit: sign in at developer.intuit.com, create an app for QuickBooks Online and Payments with the Accounting scope, add the redirect URI below under Settings ▸ Redirect URIs, then copy its Client ID and Client Secret here."))
	steps.Wrapping = fyne.TextWrapWord
	redirect := c.redirectURI
	if redirect == "" {
		redirect = defaultRedirectURI
	}
	uri := widget.NewLabel(redirect)
	uri.TextStyle = fyne.TextStyle{Monospace: true}
	copyURI := widget.NewButtonWithIcon(lang.X("firstrun.copy", "Copy"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(redirect)
	})
	open := widget.NewButtonWithIcon(lang.X("firstrun.quickbooks.open", "Open Intuit's developer site"), theme.ComputerIcon(), func() { c.openPage(intuitDeveloperPage) })
	id, secret := newField(c.keys), newPasswordField(c.keys)
	id.Validator, secret.Validator = checkClientID, checkClientSecret
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("connect.apps.quickbooks.id", "QuickBooks client ID"), id),
		widget.NewFormItem(lang.X("connect.apps.quickbooks.secret", "QuickBooks client secret"), secret),
	}
	c.quickbooksSetup = container.NewVBox(steps, container.NewBorder(nil, nil, nil, copyURI, uri), container.NewHBox(open), sandboxNote())
	items = append([]*widget.FormItem{widget.NewFormItem("", c.quickbooksSetup)}, items...)
	d := dialog.NewForm(lang.X("firstrun.quickbooks.title", "Set up QuickBooks"), lang.X("connect.apps.save", "Save"),
		lang.X("connect.cancel", "Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			c.saveApps(map[invoicing.Provider]developerApp{
				invoicing.QuickBooks: {id: strings.TrimSpace(id.Text), secret: strings.TrimSpace(secret.Text)},
			})
		}, c.window)
	d.Resize(fyne.NewSize(620, 520))
	submitOnEnter(d, &id.Entry, &secret.Entry)
	c.present(d, d.Hide, id)
}

// connectView is the Connections card in Settings: the state of each account, with the buttons of
// connections that make sense for it.
type connectView struct {
	content fyne.CanvasObject

	pipedriveConnect, pipedriveToken, pipedriveDisconnect *widget.Button
	sandbox, production, quickbooksDisconnect             *widget.Button
	apps, demo                                            *widget.Button
	pipedriveUser, quickbooksCompany, secrets             *widget.Label
}

// newConnectView builds the card around the two connection-state labels Settings already shows.
func newConnectView(c *connections, pipedrive, quickbooks *widget.Label) *connectView {
	v := &connectView{}
	if c.accounts == nil {
		v.content = container.NewVBox(pipedrive, quickbooks)
		return v
	}
	v.pipedriveConnect = widget.NewButton(lang.X("connect.pipedrive.browser", "Connect in the browser"), c.connectPipedrive)
	v.pipedriveToken = widget.NewButton(lang.X("connect.pipedrive.token", "Use an API token…"), c.askPipedriveToken)
	v.pipedriveDisconnect = widget.NewButton(lang.X("connect.disconnect", "Disconnect"), func() { c.askDisconnect(invoicing.Pipedrive) })
	v.sandbox = widget.NewButton(lang.X("connect.quickbooks.sandbox", "Connect a sandbox company"), func() { c.connectQuickBooks(true) })
	v.production = widget.NewButton(lang.X("connect.quickbooks.production", "Connect a company"), func() { c.connectQuickBooks(false) })
	v.quickbooksDisconnect = widget.NewButton(lang.X("connect.disconnect", "Disconnect"), func() { c.askDisconnect(invoicing.QuickBooks) })
	v.apps = widget.NewButton(lang.X("connect.apps", "Developer apps…"), c.editApps)
	v.demo = widget.NewButton(lang.X("connect.demo", "Try the demo"), c.tryDemo)
	v.secrets = widget.NewLabel("")
	v.secrets.Wrapping = fyne.TextWrapWord
	v.pipedriveUser = widget.NewLabel("")
	v.quickbooksCompany = widget.NewLabel("")
	v.content = container.NewVBox(
		pipedrive, v.pipedriveUser, container.NewHBox(v.pipedriveConnect, v.pipedriveToken, v.pipedriveDisconnect),
		widget.NewSeparator(),
		quickbooks, v.quickbooksCompany, container.NewHBox(v.production, v.sandbox, v.quickbooksDisconnect),
		widget.NewSeparator(),
		v.secrets, container.NewHBox(v.apps, v.demo),
	)
	v.apply(c.state)
	return v
}

// apply enables the buttons that make sense for state.
func (v *connectView) apply(state invoicing.AccountsState) {
	if v.apps == nil {
		return // no accounts to connect: the card shows the connection states only
	}
	enable(v.pipedriveDisconnect, state.Pipedrive.Connected)
	enable(v.quickbooksDisconnect, state.QuickBooks.Connected)
	showText(v.pipedriveUser, pipedriveDetail(state.Pipedrive))
	showText(v.quickbooksCompany, quickbooksDetail(state.QuickBooks))
	if state.Demo {
		v.demo.Hide()
		v.apps.Hide()
		v.production.Hide()
	} else {
		v.demo.Show()
		v.apps.Show()
		v.production.Show()
	}
	switch {
	case state.Demo:
		v.secrets.SetText(lang.X("connect.secrets.demo", "The demo keeps its sign-ins in a file in its own data folder; they only open the built-in sample services."))
	case state.SecretsInFile:
		v.secrets.SetText(lang.X("connect.secrets.file", "No system keychain answered, so sign-ins are kept in a file only you can read, in the data folder."))
	default:
		v.secrets.SetText(lang.X("connect.secrets.keychain", "Sign-ins are kept in the system keychain, never in Dealbooks' database or logs."))
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
