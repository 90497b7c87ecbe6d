package accounts

import (
	"context"
	"errors"
	"fmt"

	"dealbooks/app/adapters"
	"dealbooks/app/invoicing"
	"dealbooks/integrations/oauth"
)

// Service builds the invoicing service of the connected account pair: the API clients of both accounts,
// the connectors over them, the pair's offline store (Options.Repository) and the PDF folder
// (Options.Files). It returns an error wrapping ErrNotConnected while either account is missing. The app
// keeps one Service per pair, since the Service runs the pair's outbox one entry at a time.
// Options.AfterServiceOpened runs on the service before it is returned.
func (p *Manager) Service(ctx context.Context) (*invoicing.Service, error) {
	state, err := p.State(ctx)
	if err != nil {
		return nil, err
	}
	pair, ok := state.Pair()
	if !ok {
		return nil, ErrNotConnected
	}
	if p.opts.Repository == nil {
		return nil, errors.New("accounts: no offline store to open the invoicing service on")
	}
	crmClient, err := p.Pipedrive(ctx)
	if err != nil {
		return nil, err
	}
	accountingClient, err := p.QuickBooks(ctx)
	if err != nil {
		return nil, err
	}
	repo, err := p.opts.Repository(ctx, pair)
	if err != nil {
		return nil, fmt.Errorf("accounts: open the offline store of %s and %s: %w", state.Pipedrive.Account, state.QuickBooks.Account, err)
	}
	opts := adapters.Options{NeedsReconnect: needsReconnect, Sandbox: state.QuickBooks.Sandbox}
	pd, qb := adapters.NewPipedrive(crmClient, opts), adapters.NewQuickBooks(accountingClient, opts)
	var (
		crm  invoicing.CRM        = pd
		acct invoicing.Accounting = qb
	)
	if refs, ok := repo.(adapters.ReferenceStore); ok { // reference data kept between runs, for its lifetime
		cache := adapters.NewReferenceCache(refs, nil)
		crm, acct = adapters.NewCachedCRM(pd, cache), adapters.NewCachedAccounting(qb, cache)
	}
	svc := invoicing.NewService(invoicing.Config{
		CRM:        crm,
		Accounting: acct,
		Repository: repo,
		Files:      p.opts.Files,
	})
	if p.opts.AfterServiceOpened != nil {
		if err := p.opts.AfterServiceOpened(ctx, svc, repo); err != nil {
			return nil, err
		}
	}
	return svc, nil
}

// needsReconnect recognises the sign-in errors only a new connection mends: a refresh token the provider
// refused, or a token that is gone.
func needsReconnect(err error) bool {
	var reconnect *oauth.ReconnectError
	return errors.As(err, &reconnect) || errors.Is(err, oauth.ErrNotConnected) || errors.Is(err, ErrNotConnected)
}
