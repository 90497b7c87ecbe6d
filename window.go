package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"dealbooks/app/accounts"
	"dealbooks/app/cli"
	"dealbooks/app/platform"
	"dealbooks/app/store"
	"dealbooks/app/ui"
	"dealbooks/app/ui/filedialog"
)

// runWindow starts the desktop app over m and returns when its window closes.
func runWindow(ctx context.Context, m *Main) int {
	paths := m.Paths
	for _, dir := range []string{paths.Data, paths.Cache, paths.Logs} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fmt.Fprintln(os.Stderr, "dealbooks:", err)
			return cli.ExitError
		}
	}
	a := app.NewWithID(appID)
	a.SetIcon(ui.Icon)

	// A second launch asks this one to come to the front, then exits. This comes first so that only one
	// process ever writes the log and crash files.
	var window *ui.MainWindow
	release, err := platform.Acquire(ctx, paths.InstanceSocket(), func() {
		fyne.Do(func() {
			if window != nil {
				window.BringToFront()
			}
		})
	})
	if errors.Is(err, platform.ErrAnotherInstance) {
		fmt.Fprintln(os.Stderr, "dealbooks: already running; brought its window to the front")
		return cli.ExitOK
	}
	if err == nil {
		defer release()
	}
	instanceErr := err

	stopCapture, crashErr := platform.CaptureCrashes(paths.Logs, time.Now())
	if crashErr == nil {
		defer stopCapture()
	}
	logFile, err := platform.OpenLog(paths.Logs, slog.LevelInfo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dealbooks:", err)
		return cli.ExitError
	}
	defer logFile.Close()
	logFile.MakeDefault()
	log := slog.Default()
	if instanceErr != nil {
		log.Error("single-instance check failed; carrying on", "err", instanceErr)
	}
	if crashErr != nil {
		log.Error("crash output cannot be captured", "err", crashErr)
	}
	if err := ui.LoadTranslations(); err != nil {
		log.Error("translations", "err", err)
	}

	m.Log = log
	if err := m.Open(ctx); err != nil {
		log.Error("open", "err", err)
		if errors.As(err, new(databaseError)) {
			ui.NewProblemWindow(a, problemFor(paths.Database, err)).ShowAndRun()
		} else {
			fmt.Fprintln(os.Stderr, "dealbooks:", err)
		}
		return cli.ExitError
	}
	defer m.Close()

	language, err := ui.LoadLanguage(ctx, m.DB)
	if err != nil {
		log.Error("language", "err", err)
	}
	manager := m.Accounts
	window = ui.NewMainWindow(a, ui.Deps{
		Version:     version,
		Commit:      commit,
		BuildDate:   buildDate,
		Demo:        m.Demo,
		Language:    language,
		Folders:     ui.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
		Settings:    m.DB,
		Log:         log,
		Accounts:    manager,
		AutoRefresh: true,
		// The guided QuickBooks set-up shows the redirect URI sign-in will use, overrides included.
		QuickBooksRedirect: manager.QuickBooksRedirect(),
		AccountsChanged: func() {
			go useService(ctx, manager, window, log)
		},
		AskSavePath:  askSavePath,
		OpenFile:     platform.OpenFile,
		ShowInFolder: platform.ShowInFolder,
	})
	go useService(ctx, manager, window, log)
	log.Info("started", "version", version, "data", paths.Data, "demo", m.Demo)
	window.Window().ShowAndRun()
	return cli.ExitOK
}

// askSavePath asks the system's own save dialog (app/ui/filedialog); where there is none, the window asks with
// Fyne's.
func askSavePath(ctx context.Context, q ui.SaveQuestion) (string, error) {
	return filedialog.SavePath(ctx, q.Title, q.Name, filedialog.Filter{Name: q.Filter.Name, Patterns: q.Filter.Patterns}, q.Owner)
}

// useService opens the invoicing service of the connected account pair, off the UI goroutine, and gives it
// to the window: its Deals and Invoices tabs and the preferences. Without both accounts the window shows what
// to connect first.
func useService(ctx context.Context, manager *accounts.Manager, window *ui.MainWindow, log *slog.Logger) {
	svc, err := manager.Service(ctx)
	if err != nil && !errors.Is(err, accounts.ErrNotConnected) {
		log.Error("open the invoicing service", "err", err)
	}
	if errors.Is(err, accounts.ErrNotConnected) {
		// No pair connected: offline copies kept at a disconnect are shown, read-only, when there are any.
		kept, copies, ok, kerr := manager.KeptService(ctx)
		if kerr != nil {
			log.Error("open the kept offline copies", "err", kerr)
		}
		if ok {
			fyne.Do(func() { window.UseKeptCopies(kept, copies) })
			return
		}
	}
	if svc != nil {
		// The companies' names refresh with the connection: one renamed since shows its new name.
		go func() {
			if _, err := manager.RefreshNames(ctx); err != nil {
				log.Warn("read the company names again", "err", err)
				return
			}
			fyne.Do(window.ConnectionsChanged)
		}()
	}
	fyne.Do(func() {
		if svc == nil {
			window.UseService(nil, nil)
			return
		}
		window.UseService(svc, svc)
	})
}

// problemFor turns a failure to open the database into what the problem window explains.
func problemFor(path string, err error) ui.StartupProblem {
	kind := ui.ProblemUnavailable
	var openErr *store.OpenError
	if errors.As(err, &openErr) {
		path = openErr.Path
		switch openErr.Reason {
		case store.ReasonCorrupt:
			kind = ui.ProblemDamaged
		case store.ReasonNewerSchema:
			kind = ui.ProblemNewer
		case store.ReasonLocked:
			kind = ui.ProblemInUse
		case store.ReasonMigrationFailed:
			kind = ui.ProblemMigrationFailed
		}
	}
	return ui.StartupProblem{File: path, Kind: kind}
}
