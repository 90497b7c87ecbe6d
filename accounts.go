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
	demopkg "dealbooks/app/demo"
	"dealbooks/app/cli"
	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
)

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
		start = demopkg.StartConnected
	}
	manager, stopAccounts, err := openAccounts(ctx, paths, db, log, start)
	if err != nil {
		return nil, nil, errors.Join(err, db.Close())
	}
	closeAll := func() error {
		stopAccounts()
		return db.Close()
	}
	svc, err := manager.Service(ctx)
	if errors.Is(err, accounts.ErrNotConnected) {
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

// startDemo starts the demo's fakes: demopkg.Start for the window, where the rep signs in on the fakes'
// own pages, or demopkg.StartConnected for subcommands, where no one can. Nil means the real services.
type startDemo func(ctx context.Context, opts accounts.Options, now time.Time) (*demopkg.Demo, error)

// openAccounts builds the profile's accounts: the real services, or in the demo both fakes started here on
// 127.0.0.1. The demo keeps its fake tokens in a file in its own data folder, never in the OS keychain.
func openAccounts(ctx context.Context, paths platform.Paths, db *store.Store, log *slog.Logger, demo startDemo) (*accounts.Manager, func(), error) {
	opts := accounts.Options{
		Settings: db, OpenURL: browser.OpenURL, Log: log, LaunchDemo: launchDemo,
		Repository: func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error) {
			return db.Repository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		ForgetHistory: func(ctx context.Context, pair invoicing.AccountPair) error {
			return db.DeleteRepository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
		},
		Files: adapters.NewFolder(filepath.Join(paths.Cache, "pdf")),
	}
	if demo != nil {
		opts.Secrets = secrets.NewFile(paths.Data)
		d, err := demo(ctx, opts, time.Now())
		if err != nil {
			return nil, nil, err
		}
		return d.Accounts, func() { d.Close() }, nil
	}
	builtIn := map[invoicing.Provider]secrets.Client{
		invoicing.Pipedrive:  {ID: pipedriveClientID, Secret: pipedriveClientSecret},
		invoicing.QuickBooks: {ID: quickbooksClientID, Secret: quickbooksClientSecret},
	}
	endpoints, clients, err := accounts.FromEnv(os.Getenv, builtIn)
	if err != nil {
		return nil, nil, err
	}
	vault, err := secrets.Open(ctx, secrets.Options{Service: "dealbooks", Dir: paths.Data})
	if err != nil {
		return nil, nil, err
	}
	log.Info("secrets", "where", vault.Describe())
	opts.Secrets, opts.Endpoints, opts.BuiltIn = vault, endpoints, clients
	return accounts.New(ctx, opts), func() {}, nil
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
