package accounts

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/oauth"
	"dealbooks/integrations/quickbooks"
)

// ConnectQuickBooks signs in to a QuickBooks company in the system browser, saves the token, and reads
// the company's name.
func (p *Manager) ConnectQuickBooks(ctx context.Context, sandbox bool) (invoicing.Connection, error) {
	ts, realm, err := p.signIn(ctx, invoicing.QuickBooks)
	if err != nil {
		return invoicing.Connection{}, err
	}
	return p.connectedQuickBooks(ctx, ts, realm, sandbox)
}

// connectedQuickBooks reads the company of a new sign-in and records it.
func (p *Manager) connectedQuickBooks(ctx context.Context, ts *oauth.TokenSource, realm string, sandbox bool) (invoicing.Connection, error) {
	if realm == "" {
		return invoicing.Connection{}, p.abandon(ctx, invoicing.QuickBooks, ts, errors.New("the sign-in named no company (realmId)"))
	}
	client, err := p.quickBooksClient(ts, realm, sandbox)
	if err != nil {
		return invoicing.Connection{}, p.abandon(ctx, invoicing.QuickBooks, ts, err)
	}
	info, err := client.CompanyInfo(ctx)
	if err != nil {
		return invoicing.Connection{}, p.abandon(ctx, invoicing.QuickBooks, ts, err)
	}
	c := invoicing.Connection{
		Provider:  invoicing.QuickBooks,
		Connected: true,
		Account:   quickBooksCompanyName(info),
		AccountID: realm,
		Sandbox:   sandbox,
	}
	err = p.record(ctx, invoicing.QuickBooks, map[string]string{
		KeyQuickBooksCompany: c.Account, KeyQuickBooksRealm: realm, KeyQuickBooksSandbox: strconv.FormatBool(sandbox),
	})
	if err != nil {
		return invoicing.Connection{}, err
	}
	p.opts.Log.Info("connected", "provider", invoicing.QuickBooks, "company", c.Account, "sandbox", sandbox)
	return c, nil
}

// QuickBooks returns a client for the connected QuickBooks company.
func (p *Manager) QuickBooks(ctx context.Context) (*quickbooks.Client, error) {
	realm, _, err := p.opts.Settings.Setting(ctx, KeyQuickBooksRealm)
	if err != nil {
		return nil, fmt.Errorf("accounts: read the QuickBooks company: %w", err)
	}
	if realm == "" {
		return nil, ErrNotConnected
	}
	sandbox, _, err := p.opts.Settings.Setting(ctx, KeyQuickBooksSandbox)
	if err != nil {
		return nil, fmt.Errorf("accounts: read the QuickBooks company: %w", err)
	}
	ts, err := p.tokenSource(ctx, invoicing.QuickBooks)
	if err != nil {
		return nil, err
	}
	return p.quickBooksClient(ts, realm, sandbox == "true")
}

func (p *Manager) quickBooksClient(ts *oauth.TokenSource, realm string, sandbox bool) (*quickbooks.Client, error) {
	base := p.opts.Endpoints.QuickBooksAPI
	if base == "" {
		base = quickbooks.ProductionBaseURL
		if sandbox {
			base = quickbooks.SandboxBaseURL
		}
	}
	cfg := quickbooks.Config{BaseURL: base, RealmID: realm, TokenSource: ts}
	if p.opts.HTTPClient != nil {
		cfg.Transport = p.opts.HTTPClient.Transport
	}
	return quickbooks.New(cfg)
}
