// Package ui is Dealbooks' Fyne window: navigation, screens and dialogs, talking only to the app's services.
package ui

import (
	"context"
	"log/slog"
	"time"

	"dealbooks/app/invoicing"
)

// Folders are where Dealbooks keeps its files, shown in Settings and in the About dialog.
type Folders struct {
	Data  string // the database and everything needed offline
	Cache string // files that can be fetched again, such as PDFs
	Logs  string // the log and crash files a rep can send to support
}

// SettingsStore keeps the user's settings. Every call may touch the disk, so the window calls it off the UI
// goroutine.
type SettingsStore interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	SetSetting(ctx context.Context, key, value string) error
}

// Deps is what the window needs from the rest of the app; main.go fills it in.
type Deps struct {
	Version  string
	Demo     bool   // the demo workspace, whose accounts are in-process fakes
	Language string // the saved language choice: "", "en" or "nl"
	Folders  Folders
	Settings SettingsStore
	Log      *slog.Logger
	// Accounts connects and disconnects Pipedrive and QuickBooks, and says which are connected; nil shows
	// neither as connected and offers no way to connect them.
	Accounts invoicing.Accounts
	// Preferences edits the invoice preferences of the connected account pair; nil hides them.
	Preferences PreferenceService
	// QuickBooksRedirect is the redirect URI the QuickBooks developer app must register, shown in the guided
	// setup; "" means Dealbooks' default loopback address.
	QuickBooksRedirect string
	// AccountsChanged, if set, runs on the UI goroutine after each attempt to connect or disconnect an account,
	// so the app can open the services of the account pair now connected.
	AccountsChanged func()

	// Invoicing is the invoicing service of the connected accounts; nil until both are connected, when the
	// Deals and Invoices tabs show what to do first.
	Invoicing Invoicing
	// AskSavePath asks the system's own save dialog where to save a file (PDFs, CSV exports); nil means Fyne's
	// save dialog. See AskSavePathFunc.
	AskSavePath AskSavePathFunc
	// OpenFile opens a file the rep saved in its app, and ShowInFolder shows it in its folder (app/platform); nil
	// leaves that button out of the dialog that says the file is saved.
	OpenFile, ShowInFolder FileActionFunc

	// AutoRefresh refreshes the invoices and deals in the background: when the invoicing service opens, every
	// few minutes (Settings) and every minute while offline. See autoRefresh.
	AutoRefresh bool
	// AfterFunc calls f once after d unless stop is called first; nil means time.AfterFunc. Tests move a
	// manual clock instead.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)
	// Now tells the time the background refresh goes by (when the deals were last listed); nil means
	// time.Now. Tests pass the manual clock's.
	Now func() time.Time

	// Background runs work that must stay off the UI goroutine (disk and network). Nil means a new goroutine
	// each time. Tests run the work inline: Fyne's test driver applies fyne.Do at once on the calling
	// goroutine, so inline work keeps every widget on the test's goroutine.
	Background func(work func())

	// Commit and BuildDate say which release build this is (Help ▸ About, the copied diagnostics); "" in a
	// build that is not a release.
	Commit, BuildDate string
}

// settingLanguage is the setting key of the language choice. The window reads no other module's keys: it
// learns which accounts are connected from Deps.Accounts.
const settingLanguage = "ui.language"
