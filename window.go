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
)

// openWindow starts the desktop app and returns when its window closes.
func openWindow(ctx context.Context, paths platform.Paths, demo bool) int {
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

	if demo {
		if err := startDemoAfresh(paths); err != nil {
			log.Error("reset the demo workspace", "err", err)
		}
	}
	db, err := store.Open(ctx, paths.Database)
	if err != nil {
		log.Error("open database", "err", err)
		ui.NewProblemWindow(a, problemFor(paths.Database, err)).ShowAndRun()
		return cli.ExitError
	}
	defer db.Close()

	language, err := ui.LoadLanguage(ctx, db)
	if err != nil {
		log.Error("language", "err", err)
	}
	var start startDemo
	if demo {
		start = accounts.StartDemo
	}
	manager, stopAccounts, err := openAccounts(ctx, paths, db, log, start)
	if err != nil {
		log.Error("accounts", "err", err)
		fmt.Fprintln(os.Stderr, "dealbooks:", err)
		return cli.ExitError
	}
	defer stopAccounts()
	window = ui.NewMainWindow(a, ui.Deps{
		Version:     version,
		Commit:      commit,
		BuildDate:   buildDate,
		Demo:        demo,
		Language:    language,
		Folders:     ui.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
		Settings:    db,
		Log:         log,
		Accounts:    manager,
		AutoRefresh: true,
		AccountsChanged: func() {
			go useService(ctx, manager, window, log)
		},
	})
	go useService(ctx, manager, window, log)
	log.Info("started", "version", version, "data", paths.Data, "demo", demo)
	window.Window().ShowAndRun()
	return cli.ExitOK
}

// useService opens the invoicing service of the connected account pair, off the UI goroutine, and gives it
// to the window: its Deals and Invoices tabs and the preferences. Without both accounts the window shows what
// to connect first.
func useService(ctx context.Context, manager *accounts.Manager, window *ui.MainWindow, log *slog.Logger) {
	svc, err := manager.Service(ctx)
	if err != nil && !errors.Is(err, accounts.ErrNotConnected) {
		log.Error("open the invoicing service", "err", err)
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
