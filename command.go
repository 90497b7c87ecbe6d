package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/pkg/browser"

	"dealbooks/app/accounts"
	"dealbooks/app/cli"
	"dealbooks/app/invoicing"
	"dealbooks/app/platform"
)

// runCommand runs the subcommand in args (app/cli). Only a command that needs the invoicing service
// opens m, and it warns on stderr; nothing here opens a window.
func runCommand(ctx context.Context, m *Main, args []string) int {
	m.Unattended = true
	m.Log = slog.New(platform.NewHandler(os.Stderr, slog.LevelWarn))
	m.OpenURL = cli.PrintingBrowser(os.Stderr, browser.OpenURL)
	paths := m.Paths
	return cli.Run(ctx, args, cli.Env{
		Version: version,
		Folders: cli.Folders{Data: paths.Data, Cache: paths.Cache, Logs: paths.Logs},
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		OpenService: func(ctx context.Context) (*invoicing.Service, func() error, error) {
			if err := m.Open(ctx); err != nil {
				return nil, nil, err
			}
			svc, err := commandAccounts{m.Accounts}.Service(ctx)
			if err != nil {
				return nil, nil, errors.Join(err, m.Close())
			}
			return svc, m.Close, nil
		},
		OpenAccounts: func(ctx context.Context) (cli.Accounts, func() error, error) {
			if err := m.Open(ctx); err != nil {
				return nil, nil, err
			}
			return commandAccounts{m.Accounts}, m.Close, nil
		},
		Stdin: os.Stdin,
	})
}

// commandAccounts are the accounts as app/cli needs them: its ErrNotConnected for a missing account.
type commandAccounts struct{ *accounts.Manager }

func (a commandAccounts) Service(ctx context.Context) (*invoicing.Service, error) {
	svc, err := a.Manager.Service(ctx)
	if errors.Is(err, accounts.ErrNotConnected) {
		return nil, fmt.Errorf("%w: %w", cli.ErrNotConnected, err)
	}
	return svc, err
}
