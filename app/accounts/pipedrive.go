package accounts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/oauth"
	"dealbooks/integrations/pipedrive"
)

// ConnectPipedrive signs in to Pipedrive in the system browser, saves the token, and reads the user
// and company it belongs to. It replaces an API token connected earlier.
func (p *Manager) ConnectPipedrive(ctx context.Context) (invoicing.Connection, error) {
	ts, apiDomain, err := p.signIn(ctx, invoicing.Pipedrive)
	if err != nil {
		return invoicing.Connection{}, err
	}
	return p.connectedPipedrive(ctx, ts, apiDomain)
}

// connectedPipedrive reads the user and company of a new sign-in and records them.
func (p *Manager) connectedPipedrive(ctx context.Context, ts *oauth.TokenSource, apiDomain string) (invoicing.Connection, error) {
	base := p.opts.Endpoints.PipedriveAPI
	if base == "" {
		base = apiDomain
	}
	client, err := pipedrive.New(pipedrive.Config{TokenSource: ts, BaseURL: base, HTTPClient: p.opts.HTTPClient})
	if err != nil {
		return invoicing.Connection{}, p.abandon(ctx, invoicing.Pipedrive, ts, err)
	}
	me, err := client.Me(ctx)
	if err != nil {
		return invoicing.Connection{}, p.abandon(ctx, invoicing.Pipedrive, ts, err)
	}
	if err := p.opts.Secrets.Delete(ctx, secretPipedriveAPIToken); err != nil {
		return invoicing.Connection{}, fmt.Errorf("accounts: forget the earlier Pipedrive API token: %w", err)
	}
	return p.recordPipedrive(ctx, me, authOAuth)
}

// ConnectPipedriveToken connects Pipedrive with a personal API token after checking it with users/me.
// A token Pipedrive refuses is a *invoicing.ConnectError with reason BadToken, and nothing is saved.
// It replaces a browser sign-in made earlier, revoking it.
func (p *Manager) ConnectPipedriveToken(ctx context.Context, token string) (invoicing.Connection, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return invoicing.Connection{}, &invoicing.ConnectError{Provider: invoicing.Pipedrive, Reason: invoicing.BadToken,
			Err: errors.New("the API token is empty")}
	}
	client, err := pipedrive.New(pipedrive.Config{APIToken: token, BaseURL: p.opts.Endpoints.PipedriveAPI, HTTPClient: p.opts.HTTPClient})
	if err != nil {
		return invoicing.Connection{}, p.failed(invoicing.Pipedrive, err)
	}
	me, err := client.Me(ctx)
	if errors.Is(err, pipedrive.ErrUnauthorized) {
		return invoicing.Connection{}, p.failed(invoicing.Pipedrive, &invoicing.ConnectError{
			Provider: invoicing.Pipedrive, Reason: invoicing.BadToken, Err: err})
	}
	if err != nil {
		return invoicing.Connection{}, p.failed(invoicing.Pipedrive, err)
	}
	if _, err := p.opts.Secrets.Get(ctx, secretPipedriveToken); !errors.Is(err, fs.ErrNotExist) {
		// A browser sign-in made earlier: end it, so no grant is left behind unused.
		var ce *invoicing.ConnectError
		if err := p.revoke(ctx, invoicing.Pipedrive); err != nil && !errors.As(err, &ce) {
			return invoicing.Connection{}, err
		}
	}
	if err := p.opts.Secrets.Set(ctx, secretPipedriveAPIToken, token); err != nil {
		return invoicing.Connection{}, fmt.Errorf("accounts: save the Pipedrive API token: %w", err)
	}
	return p.recordPipedrive(ctx, me, authToken)
}

func (p *Manager) recordPipedrive(ctx context.Context, me pipedrive.User, auth string) (invoicing.Connection, error) {
	c := invoicing.Connection{
		Provider:  invoicing.Pipedrive,
		Connected: true,
		Account:   pipedriveCompanyName(me),
		AccountID: strconv.FormatInt(me.CompanyID, 10),
		User:      me.Name,
		APIToken:  auth == authToken,
	}
	err := p.record(ctx, invoicing.Pipedrive, map[string]string{
		KeyPipedriveAccount: c.Account, KeyPipedriveCompany: c.AccountID, KeyPipedriveUser: c.User, KeyPipedriveAuth: auth,
	})
	if err != nil {
		return invoicing.Connection{}, err
	}
	p.opts.Log.Info("connected", "provider", invoicing.Pipedrive, "company", c.Account, "auth", auth)
	return c, nil
}

// Pipedrive returns a client for the connected Pipedrive account.
func (p *Manager) Pipedrive(ctx context.Context) (*pipedrive.Client, error) {
	auth, _, err := p.opts.Settings.Setting(ctx, KeyPipedriveAuth)
	if err != nil {
		return nil, fmt.Errorf("accounts: read how Pipedrive is connected: %w", err)
	}
	switch auth {
	case authToken:
		token, err := p.opts.Secrets.Get(ctx, secretPipedriveAPIToken)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, ErrNotConnected
		}
		if err != nil {
			return nil, fmt.Errorf("accounts: read the Pipedrive API token: %w", err)
		}
		return pipedrive.New(pipedrive.Config{APIToken: token, BaseURL: p.opts.Endpoints.PipedriveAPI, HTTPClient: p.opts.HTTPClient})
	case authOAuth:
		ts, err := p.tokenSource(ctx, invoicing.Pipedrive)
		if err != nil {
			return nil, err
		}
		return pipedrive.New(pipedrive.Config{TokenSource: ts, BaseURL: p.opts.Endpoints.PipedriveAPI, HTTPClient: p.opts.HTTPClient})
	}
	return nil, ErrNotConnected
}
