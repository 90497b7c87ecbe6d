package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

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
			svc, err := m.Service(ctx)
			if errors.Is(err, accounts.ErrNotConnected) {
				err = cli.ErrNotConnected
			}
			if err != nil {
				return nil, nil, errors.Join(err, m.Close())
			}
			return svc, m.Close, nil
		},
	})
}
