package accounts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/oauth"
)

// signInConfig is the developer app at provider with the redirect URI to sign in with.
func (p *Manager) signInConfig(ctx context.Context, provider invoicing.Provider) (oauth.Config, error) {
	cfg, err := p.oauthConfig(ctx, provider)
	if err != nil {
		return oauth.Config{}, p.failed(provider, err)
	}
	cfg.RedirectURL = p.opts.Endpoints.PipedriveRedirect
	if provider == invoicing.QuickBooks {
		cfg.RedirectURL = p.opts.Endpoints.QuickBooksRedirect
	}
	if cfg.RedirectURL == "" {
		if cfg.RedirectURL, err = freeLoopback(); err != nil {
			return oauth.Config{}, p.failed(provider, err)
		}
	}
	return cfg, nil
}

// openURL opens the system browser, marking a failure as one.
func (p *Manager) openURL(u string) error {
	if err := p.opts.OpenURL(u); err != nil {
		return &browserError{err}
	}
	return nil
}

// signIn runs the browser sign-in for provider and saves the token it brings back.
func (p *Manager) signIn(ctx context.Context, provider invoicing.Provider) (*oauth.TokenSource, string, error) {
	cfg, err := p.signInConfig(ctx, provider)
	if err != nil {
		return nil, "", err
	}
	flow := &oauth.Flow{Config: cfg, Port: p.opts.Endpoints.RelayPort, OpenURL: p.openURL, Timeout: p.opts.BrowserTimeout}
	tok, err := flow.Connect(ctx)
	if err != nil {
		return nil, "", p.failed(provider, err)
	}
	return p.keep(ctx, provider, cfg, tok)
}

// PasteSignIn opens provider's sign-in page for the paste mode; finish checks the address the browser
// ended on, pasted by the user, and connects the account.
func (p *Manager) PasteSignIn(ctx context.Context, provider invoicing.Provider, sandbox bool) (func(context.Context, string) (invoicing.Connection, error), error) {
	cfg, err := p.signInConfig(ctx, provider)
	if err != nil {
		return nil, err
	}
	session := cfg.Begin()
	if err := p.openURL(session.AuthURL()); err != nil {
		return nil, p.failed(provider, err)
	}
	return func(ctx context.Context, pasted string) (invoicing.Connection, error) {
		tok, err := session.Finish(ctx, pasted)
		if err != nil {
			return invoicing.Connection{}, p.failed(provider, err)
		}
		ts, extra, err := p.keep(ctx, provider, cfg, tok)
		if err != nil {
			return invoicing.Connection{}, err
		}
		if provider == invoicing.QuickBooks {
			return p.connectedQuickBooks(ctx, ts, extra, sandbox)
		}
		return p.connectedPipedrive(ctx, ts, extra)
	}, nil
}

// keep saves a new sign-in's token and returns its token source and the extra that names the account's
// host or company: Pipedrive's api_domain, QuickBooks' realmId.
func (p *Manager) keep(ctx context.Context, provider invoicing.Provider, cfg oauth.Config, tok *oauth2.Token) (*oauth.TokenSource, string, error) {
	cfg.RedirectURL = ""
	ts := oauth.NewTokenSource(p.ctx, cfg, p.opts.Secrets, tokenKeys[provider])
	if err := ts.Save(ctx, tok); err != nil {
		return nil, "", p.failed(provider, err)
	}
	p.mu.Lock()
	p.tokens[provider] = ts
	p.mu.Unlock()
	extra := "api_domain"
	if provider == invoicing.QuickBooks {
		extra = "realmId"
	}
	value, _ := tok.Extra(extra).(string)
	return ts, value, nil
}

// abandon revokes and forgets a sign-in whose account could not be read, so no token is kept for an
// account the profile does not record. err is why; it is returned as a *invoicing.ConnectError.
func (p *Manager) abandon(ctx context.Context, provider invoicing.Provider, ts *oauth.TokenSource, err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if derr := ts.Disconnect(ctx); derr != nil {
		p.opts.Log.Warn("abandon sign-in", "provider", provider, "err", derr)
	}
	return p.failed(provider, err)
}

// browserError is a failure to open the system browser.
type browserError struct{ err error }

func (e *browserError) Error() string { return "open the browser: " + e.err.Error() }
func (e *browserError) Unwrap() error { return e.err }

// freeLoopback returns a loopback redirect URI on a port that is free now. Only servers that accept
// any redirect URI, such as the fakes, take it.
func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("accounts: find a free port for the browser's answer: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("accounts: find a free port for the browser's answer: %w", err)
	}
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/callback", nil
}

// failed turns err into a *invoicing.ConnectError whose Reason the UI explains, and logs it.
func (p *Manager) failed(provider invoicing.Provider, err error) error {
	var ce *invoicing.ConnectError
	if errors.As(err, &ce) {
		p.opts.Log.Warn("connect failed", "provider", provider, "err", err)
		return err
	}
	ce = &invoicing.ConnectError{Provider: provider, Reason: reasonOf(err), Err: err}
	p.opts.Log.Warn("connect failed", "provider", provider, "reason", int(ce.Reason), "err", err)
	return ce
}

func reasonOf(err error) invoicing.ConnectReason {
	var pe *oauth.ProviderError
	var ue *url.Error
	var ne *net.OpError
	var be *browserError
	switch {
	case errors.As(err, &be):
		return invoicing.NoBrowser
	case errors.Is(err, oauth.ErrDenied):
		return invoicing.Denied
	case errors.Is(err, oauth.ErrStateMismatch):
		return invoicing.WrongAttempt
	case errors.Is(err, oauth.ErrTimeout):
		return invoicing.TimedOut
	case errors.Is(err, oauth.ErrBadPaste):
		return invoicing.BadPaste
	case errors.Is(err, context.Canceled):
		return invoicing.Cancelled
	case errors.Is(err, context.DeadlineExceeded):
		return invoicing.TimedOut
	case errors.As(err, &pe) && (pe.Code == "invalid_client" || pe.Code == "unauthorized_client"):
		return invoicing.BadToken
	case errors.As(err, &ne), errors.As(err, &ue):
		return invoicing.Unreachable
	}
	return invoicing.ConnectFailed
}

// QuickBooksRedirect is the redirect URI an Intuit developer app must register for this Manager's sign-in,
// as the window's guided QuickBooks set-up shows it: the configured one, else the default loopback address.
func (p *Manager) QuickBooksRedirect() string {
	if u := p.opts.Endpoints.QuickBooksRedirect; u != "" {
		return u
	}
	return DefaultRedirectURL
}
