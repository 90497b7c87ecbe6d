// Package pipedrive is a client for the Pipedrive CRM API: v2, and v1 only where v2 has no equivalent.
package pipedrive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dealbooks/integrations/internal/httpx"
	"dealbooks/internal/clock"

	"golang.org/x/oauth2"
)

// DefaultBaseURL is where personal API tokens are sent.
const DefaultBaseURL = "https://api.pipedrive.com"

// Errors of the client that are not Pipedrive's answers.
var (
	// ErrTooLarge: an answer was larger than the client reads (32 MB).
	ErrTooLarge = httpx.ErrTooLarge
	// ErrEndlessListing: a listing was stopped because Pipedrive sent a page position it had sent before, or
	// more pages than any real company has.
	ErrEndlessListing = httpx.ErrEndlessListing
)

// Config configures a Client. Exactly one of APIToken and TokenSource must be set.
type Config struct {
	// APIToken is a personal API token, sent in the x-api-token header.
	APIToken string
	// TokenSource supplies OAuth access tokens, sent as Bearer tokens. If it also has
	// ForceRefresh(ctx) (*oauth2.Token, error), a 401 makes the client refresh once and retry once.
	TokenSource oauth2.TokenSource
	// BaseURL is the API host without /api/v2, e.g. https://api.pipedrive.com or an OAuth token's api_domain.
	// Empty means: with an API token, DefaultBaseURL; with OAuth, the token's "api_domain" extra field.
	BaseURL string
	// HTTPClient defaults to a client with a 60-second timeout (httpx.APITimeout).
	HTTPClient *http.Client
	// Clock defaults to the real clock.
	Clock Clock
	// MaxRetries is how many times a request answered 429 is retried (default 3; negative means never).
	MaxRetries int
	// MaxPages bounds the pages one listing reads (of up to 500 objects); httpx.MaxPages (200) when zero.
	MaxPages int
	// MaxWait is the longest a single 429 wait may be (default 10 s). A longer wait (for example when the
	// daily budget is spent) returns the rate-limit error at once, with its RetryAfter.
	MaxWait time.Duration
}

// Client calls the Pipedrive API. It is safe for concurrent use.
type Client struct {
	apiToken    string
	tokens      oauth2.TokenSource
	baseURL     string
	http        *http.Client
	clock       Clock
	maxRetries  int
	maxWait     time.Duration
	maxPages    int
	pacer       *pacer // every call: the token's burst limit
	searchPacer *pacer // search calls, also: the search burst limit
}

type forceRefresher interface {
	ForceRefresh(ctx context.Context) (*oauth2.Token, error)
}

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if (cfg.APIToken == "") == (cfg.TokenSource == nil) {
		return nil, errors.New("pipedrive: set exactly one of APIToken and TokenSource")
	}
	c := &Client{
		apiToken:    cfg.APIToken,
		tokens:      cfg.TokenSource,
		baseURL:     strings.TrimRight(cfg.BaseURL, "/"),
		http:        cfg.HTTPClient,
		clock:       cfg.Clock,
		maxRetries:  cfg.MaxRetries,
		maxWait:     cfg.MaxWait,
		maxPages:    cfg.MaxPages,
		pacer:       newPacer(initialBurstLimit),
		searchPacer: newPacer(searchBurstLimit),
	}
	if c.baseURL == "" && c.apiToken != "" {
		c.baseURL = DefaultBaseURL
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: httpx.APITimeout}
	}
	if c.clock == nil {
		c.clock = clock.Real{}
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = 3
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.maxPages <= 0 {
		c.maxPages = httpx.MaxPages
	}
	if c.maxWait == 0 {
		c.maxWait = 10 * time.Second
	}
	return c, nil
}

// request is one API call.
type request struct {
	method string
	path   string // e.g. /api/v2/deals
	query  url.Values
	body   any  // JSON-encoded when non-nil
	search bool // paced to the search burst limit
}

// envelope is Pipedrive's success wrapper.
type envelope struct {
	Success        bool            `json:"success"`
	Data           json.RawMessage `json:"data"`
	AdditionalData struct {
		NextCursor string `json:"next_cursor"` // v2 lists
		Pagination struct {
			MoreItems bool `json:"more_items_in_collection"`
			NextStart int  `json:"next_start"`
		} `json:"pagination"` // v1 lists
	} `json:"additional_data"`
}

var errNotSuccess = errors.New("pipedrive: response has success:false")

// decodeEnvelope decodes a 2xx body; data is decoded into out when out is non-nil.
func decodeEnvelope(body []byte, out any) (envelope, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("decode response: %w", err)
	}
	if !env.Success {
		return env, errNotSuccess
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return env, fmt.Errorf("decode data: %w", err)
		}
	}
	return env, nil
}

// do sends r, retrying on 429 and (once, after a forced token refresh) on 401, and decodes data into out.
func (c *Client) do(ctx context.Context, r request, out any) (envelope, error) {
	var payload []byte
	if r.body != nil {
		var err error
		if payload, err = json.Marshal(r.body); err != nil {
			return envelope{}, fmt.Errorf("pipedrive: encode %s %s: %w", r.method, r.path, err)
		}
	}
	refreshed, rateRetries := false, 0
	for {
		if r.search {
			if err := c.searchPacer.wait(ctx, c.clock); err != nil {
				return envelope{}, err
			}
		}
		if err := c.pacer.wait(ctx, c.clock); err != nil {
			return envelope{}, err
		}
		status, header, body, err := c.send(ctx, r, payload)
		if err != nil {
			return envelope{}, err
		}
		if !r.search {
			c.pacer.learn(header, c.clock.Now())
		}
		if status >= 200 && status < 300 {
			env, err := decodeEnvelope(body, out)
			if errors.Is(err, errNotSuccess) {
				e := decodeError(status, body)
				e.Method, e.Path = r.method, r.path
				return env, e
			}
			if err != nil {
				return env, fmt.Errorf("pipedrive: %s %s: %w", r.method, r.path, err)
			}
			return env, nil
		}
		apiErr := decodeError(status, body)
		apiErr.Method, apiErr.Path = r.method, r.path
		switch status {
		case http.StatusUnauthorized:
			fr, ok := c.tokens.(forceRefresher)
			if ok && !refreshed {
				refreshed = true
				if _, err := fr.ForceRefresh(ctx); err != nil {
					return envelope{}, fmt.Errorf("%w (token refresh failed: %w)", apiErr, err)
				}
				continue
			}
		case http.StatusTooManyRequests:
			apiErr.RetryAfter = retryDelay(header, c.clock.Now(), httpx.Backoff(rateRetries+1, time.Second, c.maxWait))
			if rateRetries < c.maxRetries && apiErr.RetryAfter <= c.maxWait {
				if err := c.clock.Sleep(ctx, apiErr.RetryAfter); err != nil {
					return envelope{}, err
				}
				rateRetries++
				continue
			}
		}
		return envelope{}, apiErr
	}
}

// send performs one HTTP exchange and reads the whole body.
func (c *Client) send(ctx context.Context, r request, payload []byte) (int, http.Header, []byte, error) {
	var auth string
	base := c.baseURL
	if c.tokens != nil {
		tok, err := c.tokens.Token()
		if err != nil {
			return 0, nil, nil, fmt.Errorf("pipedrive: get access token: %w", err)
		}
		auth = "Bearer " + tok.AccessToken
		if base == "" {
			domain, _ := tok.Extra("api_domain").(string)
			if domain == "" {
				return 0, nil, nil, errors.New("pipedrive: no BaseURL and the OAuth token has no api_domain")
			}
			base = strings.TrimRight(domain, "/")
		}
	}
	u := base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("pipedrive: %s %s: %w", r.method, r.path, err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	} else {
		req.Header.Set("x-api-token", c.apiToken)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("pipedrive: %s %s: %w", r.method, r.path, err)
	}
	defer resp.Body.Close()
	b, err := httpx.ReadAll(resp.Body, httpx.MaxJSONBody, "Pipedrive answer")
	if err != nil {
		return 0, nil, nil, fmt.Errorf("pipedrive: %s %s: read response: %w", r.method, r.path, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// get fetches a single object.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	_, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query}, out)
	return err
}

// listPage fetches one page of a v2 list.
func listPage[T any](ctx context.Context, c *Client, r request) (Page[T], error) {
	var items []T
	env, err := c.do(ctx, r, &items)
	if err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Items: items, NextCursor: env.AdditionalData.NextCursor}, nil
}

// listAll follows next_cursor until the last page, in pages of MaxPageSize unless r asks for a limit. A cursor
// that comes back, or more than Config.MaxPages pages, ends it with an error matching ErrEndlessListing.
func listAll[T any](ctx context.Context, c *Client, r request) ([]T, error) {
	var all []T
	query := cloneValues(r.query)
	if query.Get("limit") == "" {
		query.Set("limit", strconv.Itoa(MaxPageSize))
	}
	pager := httpx.Pager{Limit: c.maxPages}
	for {
		if err := pager.Next(query.Get("cursor")); err != nil {
			return all, fmt.Errorf("pipedrive: %s %s: %w", r.method, r.path, err)
		}
		r.query = query
		page, err := listPage[T](ctx, c, r)
		if err != nil {
			return all, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all, nil
		}
		query = cloneValues(query)
		query.Set("cursor", page.NextCursor)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
