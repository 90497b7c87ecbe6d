package oauth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Revoke asks the provider to revoke token (a refresh token ends the whole grant). It sends the
// client credentials in a Basic header, as the token endpoint does, and the token as JSON for
// Intuit or as a form for Pipedrive (RFC 7009).
func Revoke(ctx context.Context, cfg Config, token string) error {
	var body, contentType string
	switch cfg.Endpoint.RevokeStyle {
	case RevokeJSON:
		b, err := json.Marshal(map[string]string{"token": token})
		if err != nil {
			return fmt.Errorf("oauth: encoding the revoke request: %w", err)
		}
		body, contentType = string(b), "application/json"
	case RevokeForm:
		body = url.Values{"token": {token}, "token_type_hint": {"refresh_token"}}.Encode()
		contentType = "application/x-www-form-urlencoded"
	}
	ctx, cancel := cfg.tokenCall(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.Endpoint.RevokeURL, strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("oauth: building the %s revoke request: %w", cfg.Endpoint.Name, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	// RFC 6749 §2.3.1 form-encodes the credentials before Basic encoding, as x/oauth2 does.
	req.SetBasicAuth(url.QueryEscape(cfg.ClientID), url.QueryEscape(cfg.ClientSecret))
	resp, err := cfg.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("oauth: revoking the %s sign-in: %w", cfg.Endpoint.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	var answer struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&answer) // a body that is not JSON leaves the fields empty
	return &ProviderError{Provider: cfg.Endpoint.Name, Status: resp.StatusCode, Code: answer.Error, Description: answer.Description}
}
