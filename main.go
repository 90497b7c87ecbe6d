// Command dealbooks turns Pipedrive deals into QuickBooks Online invoices. This file only wires the pieces:
// with no arguments it opens the window, otherwise it runs a subcommand of app/cli.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/pkg/browser"

	"dealbooks/app/cli"
	"dealbooks/app/connect"
	"dealbooks/app/connectors"
	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
	"dealbooks/app/ui"
)

// version is the release version; release builds set it with -ldflags "-X main.version=…", and it matches
// FyneApp.toml.
var version = "0.1.0"

// appID is FyneApp.toml's ID; Fyne keys the app's own preferences by it.
const appID = "com.dealbooks.desktop"

// demoProfile is the profile of the demo workspace, so its data never mixes with the real profile's.
const demoProfile = "demo"

// The developer apps built in, set by release builds with -ldflags "-X main.pipedriveClientID=…" and so on.
// The environment (see the README) and Settings override them.
var (
	pipedriveClientID      string
	pipedriveClientSecret  string
	quickbooksClientID     string
	quickbooksClientSecret string
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx := context.Background()
	// -demo switches to the demo workspace: its own profile folders, and fakes instead of the real services.
	demo := len(args) > 0 && (args[0] == "-demo" || args[0] == "--demo")
	profile := ""
	if demo {
		args, profile = args[1:], demoProfile
	}
	paths, err := platform.CurrentPaths(profile)
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
			OpenService: func(ctx context.Context) (*invoicing.Service, func() error, error) {
				return openService(ctx, paths, demo)
			},
		})
	}
	return openWindow(ctx, paths, demo)
}

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
		start = connect.StartDemo
	}
	accounts, stopAccounts, err := openAccounts(ctx, paths, db, log, start)
	if err != nil {
		log.Error("accounts", "err", err)
		fmt.Fprintln(os.Stderr, "dealbooks:", err)
		return cli.ExitError
	}
	defer stopAccounts()
	window = ui.NewMainWindow(a, ui.Workspace{
		Version:     version,
		Demo:        demo,
		Language:    language,
		Folders:     ui.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
		Settings:    db,
		Log:         log,
		Accounts:    accounts,
		AutoRefresh: true,
		AccountsChanged: func() {
			go useService(ctx, accounts, window, log)
		},
	})
	go useService(ctx, accounts, window, log)
	log.Info("started", "version", version, "data", paths.Data, "demo", demo)
	window.Window().ShowAndRun()
	return cli.ExitOK
}

// openService opens what a subcommand needs: the profile's database, its accounts and the invoicing service
// of the connected pair; close releases them.
func openService(ctx context.Context, paths platform.Paths, demo bool) (*invoicing.Service, func() error, error) {
	if err := os.MkdirAll(paths.Data, 0o700); err != nil {
		return nil, nil, err
	}
	if demo {
		if err := startDemoAfresh(paths); err != nil {
			return nil, nil, err
		}
	}
	db, err := store.Open(ctx, paths.Database)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(platform.NewHandler(os.Stderr, slog.LevelWarn))
	var start startDemo
	if demo {
		start = connect.StartConnectedDemo
	}
	accounts, stopAccounts, err := openAccounts(ctx, paths, db, log, start)
	if err != nil {
		return nil, nil, errors.Join(err, db.Close())
	}
	closeAll := func() error {
		stopAccounts()
		return db.Close()
	}
	svc, err := accounts.Service(ctx)
	if errors.Is(err, connect.ErrNotConnected) {
		err = cli.ErrNotConnected
	}
	if err != nil {
		return nil, nil, errors.Join(err, closeAll())
	}
	return svc, closeAll, nil
}

// startDemoAfresh deletes the demo profile's database: the demo's fakes start from their seed at every
// launch, so copies of an earlier run's invoices would name invoices that no longer exist.
func startDemoAfresh(paths platform.Paths) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(paths.Database + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// useService opens the invoicing service of the connected account pair, off the UI goroutine, and gives it
// to the window: its Deals and Invoices tabs and the preferences. Without both accounts the window shows what
// to connect first.
func useService(ctx context.Context, accounts *connect.Profile, window *ui.MainWindow, log *slog.Logger) {
	svc, err := accounts.Service(ctx)
	if err != nil && !errors.Is(err, connect.ErrNotConnected) {
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

// startDemo starts the demo's fakes: connect.StartDemo for the window, where the rep signs in on the fakes'
// own pages, or connect.StartConnectedDemo for subcommands, where no one can. Nil means the real services.
type startDemo func(ctx context.Context, opts connect.Options, now time.Time) (*connect.Demo, error)

// openAccounts builds the profile's accounts: the real services, or in the demo both fakes started here on
// 127.0.0.1. The demo keeps its fake tokens in a file in its own data folder, never in the OS keychain.
func openAccounts(ctx context.Context, paths platform.Paths, db *store.Store, log *slog.Logger, demo startDemo) (*connect.Profile, func(), error) {
	opts := connect.Options{
		Settings: db, OpenURL: browser.OpenURL, Log: log, LaunchDemo: launchDemo,
		Repository: func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error) {
			return db.Workspace(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		ForgetHistory: func(ctx context.Context, pair invoicing.AccountPair) error {
			return db.DeleteWorkspace(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		Files: connectors.NewFolder(filepath.Join(paths.Cache, "pdf")),
	}
	if demo != nil {
		opts.Secrets = secrets.NewFile(paths.Data)
		d, err := demo(ctx, opts, time.Now())
		if err != nil {
			return nil, nil, err
		}
		return d.Profile, func() { d.Close() }, nil
	}
	builtIn := map[invoicing.Provider]secrets.Client{
		invoicing.Pipedrive:  {ID: pipedriveClientID, Secret: pipedriveClientSecret},
		invoicing.QuickBooks: {ID: quickbooksClientID, Secret: quickbooksClientSecret},
	}
	endpoints, clients, err := connect.FromEnv(os.Getenv, builtIn)
	if err != nil {
		return nil, nil, err
	}
	vault, err := secrets.Open(ctx, secrets.Options{Service: "dealbooks", Dir: paths.Data})
	if err != nil {
		return nil, nil, err
	}
	log.Info("secrets", "where", vault.Describe())
	opts.Secrets, opts.Endpoints, opts.BuiltIn = vault, endpoints, clients
	return connect.New(ctx, opts), func() {}, nil
}

// launchDemo starts this program again on the demo workspace, in a window of its own.
func launchDemo() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "-demo")
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it when it exits; its exit status is its own business
	return nil
}
