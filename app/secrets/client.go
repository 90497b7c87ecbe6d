package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Client is the ID and secret of the user's own developer app at a provider (an Intuit app, a
// Pipedrive Developer Hub app).
type Client struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// String shows the ID and whether a secret is set, never the secret.
func (c Client) String() string {
	secret := "missing"
	if c.Secret != "" {
		secret = "set"
	}
	return fmt.Sprintf("secrets.Client{ID %q, secret %s}", c.ID, secret)
}

// GoString keeps %#v from printing the secret.
func (c Client) GoString() string { return c.String() }

// clientKey is where a provider's client is stored, e.g. "quickbooks.client".
func clientKey(provider string) string { return provider + ".client" }

// SaveClient keeps the client entered in Settings for provider ("quickbooks", "pipedrive").
func SaveClient(ctx context.Context, s Store, provider string, c Client) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("secrets: encoding the %s client: %w", provider, err)
	}
	return s.Set(ctx, clientKey(provider), string(b))
}

// LoadClient returns the client saved for provider, or builtIn (set at build time) when none
// was saved. A client with an empty ID means none is known.
func LoadClient(ctx context.Context, s Store, provider string, builtIn Client) (Client, error) {
	value, err := s.Get(ctx, clientKey(provider))
	if errors.Is(err, ErrNotFound) {
		return builtIn, nil
	}
	if err != nil {
		return Client{}, err
	}
	var c Client
	if err := json.Unmarshal([]byte(value), &c); err != nil {
		return Client{}, fmt.Errorf("secrets: the saved %s client is unreadable; enter it again in Settings", provider)
	}
	return c, nil
}

// DeleteClient forgets the client saved for provider, so the built-in one applies again.
func DeleteClient(ctx context.Context, s Store, provider string) error {
	return s.Delete(ctx, clientKey(provider))
}
