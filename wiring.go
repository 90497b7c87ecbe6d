package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/pkg/browser"

	"dealbooks/app/accounts"
	"dealbooks/app/adapters"
	"dealbooks/app/demo"
	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
)

// Main is the program's wiring, one for both ways it runs (the window and a subcommand): Open opens the
// profile's database, secrets and accounts, over the real services or the demo's fakes; Close releases
// them.
type Main struct {
	// Paths are the profile's folders.
	Paths platform.Paths
	// Demo runs the demo workspace: fakes instead of the real services (Paths are the demo profile's).
	Demo bool
	// Unattended says no one is at a browser, as for a subcommand: the demo's fakes then approve every
	// sign-in, and Open connects both accounts.
	Unattended bool
	// Log receives what Open and the accounts report; nil means slog.Default.
	Log *slog.Logger
	// OpenURL opens a sign-in address in the browser; nil means the system browser.
	OpenURL func(url string) error

	// DB and Accounts are set by Open.
	DB       *store.Store
	Accounts *accounts.Manager

	closers []func() error // what Close releases, in the order Open opened it
}

// NewMain returns the wiring of the profile in paths; demo selects the demo workspace.
func NewMain(paths platform.Paths, demo bool) *Main {
	return &Main{Paths: paths, Demo: demo}
}

// databaseError marks Open's failures to open the database, which the window explains in a window of
// its own.
type databaseError struct{ err error }

func (e databaseError) Error() string { return e.err.Error() }
func (e databaseError) Unwrap() error { return e.err }

// Open opens the database, the secrets and the accounts. In the demo it first claims the demo's folder
// (demo.ClaimFolder): afresh, or a temporary one while another process holds it. On failure it
// releases what it opened.
func (m *Main) Open(ctx context.Context) error {
	if m.Log == nil {
		m.Log = slog.Default()
	}
	if err := os.MkdirAll(m.Paths.Data, 0o700); err != nil {
		return err
	}
	dataDir, cacheDir, database := m.Paths.Data, m.Paths.Cache, m.Paths.Database
	if m.Demo {
		folder, err := demo.ClaimFolder(m.Paths.Data, m.Paths.Database)
		if err != nil {
			return err
		}
		m.closers = append(m.closers, folder.Release)
		if folder.Temporary {
			m.Log.Warn("another Dealbooks is using the demo, so this one runs a demo of its own in a temporary folder",
				"folder", folder.Dir)
			dataDir, cacheDir = folder.Dir, folder.Dir
		}
		database = folder.Database
	}
	db, err := store.Open(ctx, database)
	if err != nil {
		return errors.Join(databaseError{err}, m.Close())
	}
	m.DB = db
	m.closers = append(m.closers, db.Close)
	if err := m.openAccounts(ctx, dataDir, cacheDir); err != nil {
		return errors.Join(err, m.Close())
	}
	return nil
}

// Close releases what Open opened, the last first.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// openAccounts builds the profile's accounts: the real services, or in the demo both fakes started here on
// 127.0.0.1. The demo keeps its fake tokens in a file in its own data folder, never in the OS keychain.
func (m *Main) openAccounts(ctx context.Context, dataDir, cacheDir string) error {
	openURL := m.OpenURL
	if openURL == nil {
		openURL = browser.OpenURL
	}
	opts := accounts.Options{
		Settings: m.DB, OpenURL: openURL, Log: m.Log, LaunchDemo: launchDemo,
		Repository: func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error) {
			return m.DB.Repository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		ForgetHistory: func(ctx context.Context, pair invoicing.AccountPair) error {
			return m.DB.DeleteRepository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		Files: adapters.NewFolder(filepath.Join(cacheDir, "pdf")),
	}
	if m.Demo {
		opts.Secrets = secrets.NewFile(dataDir)
		start := demo.Start // the rep signs in on the fakes' own pages
		if m.Unattended {
			start = demo.StartConnected
		}
		d, err := start(ctx, opts, time.Now())
		if err != nil {
			return err
		}
		m.closers = append(m.closers, d.Close)
		m.Accounts = d.Accounts
		return nil
	}
	builtIn := map[invoicing.Provider]secrets.Client{
		invoicing.Pipedrive:  {ID: pipedriveClientID, Secret: pipedriveClientSecret},
		invoicing.QuickBooks: {ID: quickbooksClientID, Secret: quickbooksClientSecret},
	}
	endpoints, clients, err := accounts.FromEnv(os.Getenv, builtIn)
	if err != nil {
		return err
	}
	vault, err := secrets.Open(ctx, secrets.Options{Service: "dealbooks", Dir: dataDir})
	if err != nil {
		return err
	}
	m.Log.Info("secrets", "where", vault.Describe())
	opts.Secrets, opts.Endpoints, opts.BuiltIn = vault, endpoints, clients
	m.Accounts = accounts.New(ctx, opts)
	return nil
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
