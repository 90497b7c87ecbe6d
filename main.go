// Command dealbooks turns Pipedrive deals into QuickBooks Online invoices. This file only wires the pieces:
// with no arguments it opens the window, otherwise it runs a subcommand of app/cli.
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

	"dealbooks/app/cli"
	"dealbooks/app/platform"
	"dealbooks/app/store"
	"dealbooks/app/ui"
)

// version is the release version; release builds set it with -ldflags "-X main.version=…", and it matches
// FyneApp.toml.
var version = "0.1.0"

// appID is FyneApp.toml's ID; Fyne keys the app's own preferences by it.
const appID = "com.dealbooks.desktop"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx := context.Background()
	paths, err := platform.CurrentPaths("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "dealbooks:", err)
		return cli.ExitError
	}
	if len(args) > 0 {
		return cli.Run(ctx, args, cli.Env{
			Version: version,
			Folders: cli.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
			Stdout:  os.Stdout,
			Stderr:  os.Stderr,
		})
	}
	return openWindow(ctx, paths)
}

// openWindow starts the desktop app and returns when its window closes.
func openWindow(ctx context.Context, paths platform.Paths) int {
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
	window = ui.NewMainWindow(a, ui.Workspace{
		Version:  version,
		Language: language,
		Folders:  ui.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
		Settings: db,
		Log:      log,
	})
	log.Info("started", "version", version, "data", paths.Data)
	window.Window().ShowAndRun()
	return cli.ExitOK
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
