package accounts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
)

// forget removes the connection's names and ids from the settings.
func (p *Manager) forget(ctx context.Context, provider invoicing.Provider) error {
	for _, key := range settingKeys[provider] {
		if err := p.opts.Settings.DeleteSetting(ctx, key); err != nil {
			return fmt.Errorf("accounts: forget the %s account: %w", provider.Name(), err)
		}
	}
	return nil
}

// Reset forgets both accounts, their tokens, the Pipedrive API token and any saved developer app, without
// telling the providers: for a profile whose providers are gone, such as the demo's, whose fakes start
// afresh at every launch (so every token they issued is gone). The built-in developer apps apply again.
func (p *Manager) Reset(ctx context.Context) error {
	for _, provider := range []invoicing.Provider{invoicing.Pipedrive, invoicing.QuickBooks} {
		if err := p.opts.Secrets.Delete(ctx, tokenKeys[provider]); err != nil {
			return fmt.Errorf("accounts: reset: %w", err)
		}
		if err := secrets.DeleteClient(ctx, p.opts.Secrets, string(provider)); err != nil {
			return fmt.Errorf("accounts: reset: %w", err)
		}
		if err := p.forget(ctx, provider); err != nil {
			return err
		}
	}
	p.mu.Lock()
	clear(p.tokens)
	p.mu.Unlock()
	if err := p.opts.Secrets.Delete(ctx, secretPipedriveAPIToken); err != nil {
		return fmt.Errorf("accounts: reset: %w", err)
	}
	return nil
}

// Disconnect revokes provider's tokens, removes them and the account from this profile, and, unless
// keepHistory, deletes the offline copies of the account pair. A *invoicing.ConnectError with reason
// NotRevoked means everything here is gone but the provider could not be told.
func (p *Manager) Disconnect(ctx context.Context, provider invoicing.Provider, keepHistory bool) error {
	state, err := p.State(ctx)
	if err != nil {
		return err
	}
	pair, paired := state.Pair()

	revokeErr := p.revoke(ctx, provider)
	var ce *invoicing.ConnectError
	if revokeErr != nil && !errors.As(revokeErr, &ce) {
		return revokeErr
	}
	if provider == invoicing.Pipedrive {
		if err := p.opts.Secrets.Delete(ctx, secretPipedriveAPIToken); err != nil {
			return fmt.Errorf("accounts: forget the Pipedrive API token: %w", err)
		}
	}
	if err := p.forget(ctx, provider); err != nil {
		return err
	}
	if keepHistory && paired {
		// The pair's names are gone from the settings now: remember them, so what was kept stays readable.
		if err := p.recordKept(ctx, state, pair, time.Now()); err != nil {
			return err
		}
	}
	if !keepHistory && paired && p.opts.ForgetHistory != nil {
		err := p.opts.ForgetHistory(ctx, pair)
		if errors.Is(err, invoicing.ErrUnsentInvoices) {
			if err := p.recordKept(ctx, state, pair, time.Now()); err != nil {
				return err
			}
			return &invoicing.ConnectError{Provider: provider, Reason: invoicing.HistoryKept, Err: err}
		}
		if err != nil {
			return fmt.Errorf("accounts: delete the offline history: %w", err)
		}
		if k, ok, err := p.kept(ctx); err == nil && ok && k.Pair == pair {
			if err := p.forgetKept(ctx); err != nil {
				return err
			}
		}
	}
	p.opts.Log.Info("disconnected", "provider", provider, "keep_history", keepHistory, "revoked", revokeErr == nil)
	return revokeErr
}

// revoke revokes and forgets provider's OAuth token. It returns a *invoicing.ConnectError with reason
// NotRevoked when the token is forgotten but the provider was not told, and any other error when the
// token could not be forgotten.
func (p *Manager) revoke(ctx context.Context, provider invoicing.Provider) error {
	ts, err := p.tokenSource(ctx, provider)
	if err != nil {
		// No developer app to revoke with: forget the token all the same.
		_, getErr := p.opts.Secrets.Get(ctx, tokenKeys[provider])
		if err := p.opts.Secrets.Delete(ctx, tokenKeys[provider]); err != nil {
			return fmt.Errorf("accounts: forget the %s sign-in: %w", provider.Name(), err)
		}
		if errors.Is(getErr, fs.ErrNotExist) {
			return nil // there was no sign-in to revoke
		}
		return &invoicing.ConnectError{Provider: provider, Reason: invoicing.NotRevoked, Err: err}
	}
	err = ts.Disconnect(ctx)
	if err == nil {
		return nil
	}
	if _, getErr := p.opts.Secrets.Get(ctx, tokenKeys[provider]); errors.Is(getErr, fs.ErrNotExist) {
		p.opts.Log.Warn("token forgotten but not revoked", "provider", provider, "err", err)
		return &invoicing.ConnectError{Provider: provider, Reason: invoicing.NotRevoked, Err: err}
	}
	return fmt.Errorf("accounts: disconnect %s: %w", provider.Name(), err)
}
