// Package quickbooks is a client for the QuickBooks Online Accounting API v3.
package quickbooks

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

// API hosts.
const (
	ProductionBaseURL = "https://quickbooks.api.intuit.com"
	SandboxBaseURL    = "https://sandbox-quickbooks.api.intuit.com"
)

// Defaults for Config.
const (
	DefaultMinorVersion      = 75
	DefaultMaxInFlight       = 10
	DefaultRequestsPerMinute = 500
	DefaultMaxAttempts       = 4
	// DefaultThrottleWait is how long to wait after a 429 that names no time.
	DefaultThrottleWait = 60 * time.Second
	// MaxThrottleWait is the longest Retry-After the client waits for; a longer one is returned at once as a
	// *RateLimitedError.
	MaxThrottleWait = httpx.MaxRetryWait
	// RetryBudget is the most one call waits in all (throttling and back-off) before it gives up.
	RetryBudget = httpx.RetryBudget
)

// maxRequestIDLen is QuickBooks' limit on requestid.
const maxRequestIDLen = 50

// Config configures a Client. RealmID and TokenSource are required.
type Config struct {
	// BaseURL is the API host, ProductionBaseURL when empty.
	BaseURL string
	// AppURL is the QuickBooks web app, for deep links; when empty it is
	// derived from BaseURL (sandbox or production).
	AppURL       string
	RealmID      string
	MinorVersion int
	// TokenSource supplies access tokens. If it also has a
	// ForceRefresh(ctx) method, a 401 makes the client call it once and retry.
	TokenSource oauth2.TokenSource
	// Transport is the underlying HTTP transport, http.DefaultTransport when nil.
	Transport http.RoundTripper
	// Timeout bounds one API request and its answer; httpx.APITimeout (60 s) when zero.
	Timeout time.Duration
	// PDFTimeout bounds one PDF download; httpx.PDFTimeout (2 min) when zero.
	PDFTimeout time.Duration
	// Clock is used for waits (429, back-off, rate limit); the real clock when nil.
	Clock             Clock
	MaxInFlight       int
	RequestsPerMinute int
	// MaxAttempts bounds the tries of one retryable request.
	MaxAttempts int
	// MaxPages bounds the pages one listing reads (of 1000 objects); httpx.MaxPages (200) when zero.
	MaxPages  int
	UserAgent string
}

// ForceRefresher is a token source that can be told its access token was
// rejected and must be refreshed now.
type ForceRefresher interface {
	ForceRefresh(ctx context.Context) (*oauth2.Token, error)
}

// Client talks to one QuickBooks company (realm). It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client // JSON calls
	pdf  *http.Client // PDF downloads: same transport, longer timeout
	lim  *limiter
}

// New returns a Client for cfg, filling in defaults.
func New(cfg Config) (*Client, error) {
	if cfg.RealmID == "" {
		return nil, errors.New("quickbooks: RealmID is required")
	}
	if cfg.TokenSource == nil {
		return nil, errors.New("quickbooks: TokenSource is required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = ProductionBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.AppURL == "" {
		cfg.AppURL = appURLFor(cfg.BaseURL)
	}
	if cfg.MinorVersion == 0 {
		cfg.MinorVersion = DefaultMinorVersion
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = httpx.APITimeout
	}
	if cfg.PDFTimeout <= 0 {
		cfg.PDFTimeout = httpx.PDFTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.RequestsPerMinute <= 0 {
		cfg.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if cfg.MaxPages <= 0 {
		cfg.MaxPages = httpx.MaxPages
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "dealbooks-quickbooks/1"
	}
	transport := roundTripOnly{&oauth2.Transport{Source: markedSource{cfg.TokenSource}, Base: cfg.Transport}}
	return &Client{
		cfg:  cfg,
		http: &http.Client{Transport: transport, Timeout: cfg.Timeout},
		pdf:  &http.Client{Transport: transport, Timeout: cfg.PDFTimeout},
		lim:  newLimiter(cfg.Clock, cfg.MaxInFlight, cfg.RequestsPerMinute),
	}, nil
}

// roundTripOnly hides oauth2.Transport's deprecated CancelRequest from http.Client, which calls it when a
// request times out; the oauth2 package then prints a deprecation line on the standard logger, which would
// reach a command's stderr. The timeout still ends the request through its context.
type roundTripOnly struct{ rt http.RoundTripper }

func (t roundTripOnly) RoundTrip(r *http.Request) (*http.Response, error) { return t.rt.RoundTrip(r) }

// RealmID returns the company this client talks to.
func (c *Client) RealmID() string { return c.cfg.RealmID }

// tokenError marks an error from the token source, so that it is not
// mistaken for a network failure and retried.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "quickbooks: token: " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

type markedSource struct{ src oauth2.TokenSource }

func (m markedSource) Token() (*oauth2.Token, error) {
	t, err := m.src.Token()
	if err != nil {
		return nil, &tokenError{err}
	}
	return t, nil
}

// request is one API call, relative to /v3/company/{realmId}.
type request struct {
	method      string
	path        string
	params      url.Values
	body        []byte
	contentType string
	accept      string
	requestID   string
	pdf         bool // a download: the PDF client and its timeout
}

// retryable: reads, and writes QuickBooks will answer from its requestid
// record instead of repeating.
func (r *request) retryable() bool {
	return r.method == http.MethodGet || r.requestID != ""
}

// do sends r, retrying what is safe to retry, and returns a 2xx response
// whose body the caller must close. Any other answer becomes an error. The
// waits of one call add up to at most RetryBudget; a 429 that asks for more
// is returned at once as a *RateLimitedError.
func (c *Client) do(ctx context.Context, r *request) (*http.Response, error) {
	refreshed := false
	var waited time.Duration
	// pause waits d unless that would take the call past its budget.
	pause := func(d time.Duration) (bool, error) {
		if waited+d > RetryBudget {
			return false, nil
		}
		waited += d
		if err := c.cfg.Clock.Sleep(ctx, d); err != nil {
			return false, fmt.Errorf("quickbooks: %s %s: %w", r.method, r.path, err)
		}
		return true, nil
	}
	for attempt := 1; ; attempt++ {
		resp, err := c.send(ctx, r)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("quickbooks: %s %s: %w", r.method, r.path, ctxErr)
			}
			var te *tokenError
			if errors.As(err, &te) {
				return nil, authFailure(te)
			}
			err = fmt.Errorf("quickbooks: %s %s: %w", r.method, r.path, err)
			if !r.retryable() || attempt >= c.cfg.MaxAttempts {
				return nil, err
			}
			if ok, perr := pause(backoff(attempt)); perr != nil {
				return nil, perr
			} else if !ok {
				return nil, err
			}
			continue
		}
		if resp.StatusCode < 300 {
			return resp, nil
		}
		fault := c.readFault(resp)
		switch {
		case resp.StatusCode == http.StatusUnauthorized && !refreshed:
			fr, ok := c.cfg.TokenSource.(ForceRefresher)
			if !ok {
				return nil, fault
			}
			if _, err := fr.ForceRefresh(ctx); err != nil {
				return nil, authFailure(fmt.Errorf("quickbooks: refresh after 401: %w", err))
			}
			refreshed = true
			attempt-- // the rejected token does not count as a try
			continue
		case resp.StatusCode == http.StatusTooManyRequests:
			wait := fault.RetryAfter
			if wait <= 0 {
				wait = DefaultThrottleWait
			}
			if r.retryable() && attempt < c.cfg.MaxAttempts && wait <= MaxThrottleWait {
				ok, err := pause(wait)
				if err != nil {
					return nil, err
				}
				if ok {
					continue
				}
			}
			return nil, &RateLimitedError{RetryAfter: wait, Fault: fault}
		case resp.StatusCode >= 500 && r.retryable() && attempt < c.cfg.MaxAttempts:
			ok, err := pause(backoff(attempt))
			if err != nil {
				return nil, err
			}
			if ok {
				continue
			}
		}
		return nil, fault
	}
}

// authFailure marks a token error as ErrAuthExpired when the authorization
// server refused the grant (the user must reconnect); other failures, such
// as a network error during refresh, stay as they are.
func authFailure(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && (re.ErrorCode == "invalid_grant" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized) {
		return fmt.Errorf("%w: %w", ErrAuthExpired, err)
	}
	return err
}

// backoff is the wait before try attempt+1 after a network error or 5xx:
// from 1 s, doubling, at most 30 s, with jitter.
func backoff(attempt int) time.Duration { return httpx.Backoff(attempt, time.Second, 30*time.Second) }

// send makes one HTTP exchange, holding a limiter slot until the body is closed.
func (c *Client) send(ctx context.Context, r *request) (*http.Response, error) {
	params := url.Values{}
	for k, v := range r.params {
		params[k] = v
	}
	params.Set("minorversion", strconv.Itoa(c.cfg.MinorVersion))
	if r.requestID != "" {
		params.Set("requestid", r.requestID)
	}
	u := c.cfg.BaseURL + "/v3/company/" + url.PathEscape(c.cfg.RealmID) + r.path + "?" + params.Encode()
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("quickbooks: %w", err)
	}
	accept := r.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	release, err := c.lim.acquire(ctx)
	if err != nil {
		return nil, err
	}
	hc := c.http
	if r.pdf {
		hc = c.pdf
	}
	resp, err := hc.Do(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
	done    bool
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	if !b.done {
		b.done = true
		b.release()
	}
	return err
}

// readFault reads and closes a non-2xx response and returns it as a Fault.
func (c *Client) readFault(resp *http.Response) *Fault {
	defer resp.Body.Close()
	// A fault is short; what is left of a longer body is not read.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	f := parseFault(body)
	if f == nil {
		f = &Fault{}
	}
	if len(f.Errors) == 0 {
		f.Errors = []FaultError{{Message: http.StatusText(resp.StatusCode)}}
	}
	f.StatusCode = resp.StatusCode
	f.IntuitTID = resp.Header.Get("intuit_tid")
	if resp.StatusCode == http.StatusTooManyRequests {
		f.RetryAfter, _ = httpx.RetryAfter(resp.Header, c.cfg.Clock.Now())
	}
	return f
}

// call sends r and decodes a JSON answer into out. A 200 answer that holds a
// Fault (QuickBooks does that) is returned as a *Fault.
func (c *Client) call(ctx context.Context, r *request, out any) error {
	resp, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := httpx.ReadAll(resp.Body, httpx.MaxJSONBody, "QuickBooks answer")
	if err != nil {
		return fmt.Errorf("quickbooks: %s %s: reading answer: %w", r.method, r.path, err)
	}
	if f := parseFault(body); f != nil {
		f.StatusCode = resp.StatusCode
		f.IntuitTID = resp.Header.Get("intuit_tid")
		return f
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("quickbooks: %s %s: decoding answer (intuit_tid %s): %w",
			r.method, r.path, resp.Header.Get("intuit_tid"), err)
	}
	return nil
}

func (c *Client) get(ctx context.Context, path string, params url.Values, out any) error {
	return c.call(ctx, &request{method: http.MethodGet, path: path, params: params}, out)
}

// post sends v as JSON to path with requestID; requestID is required so that
// a retry can never create a second object.
func (c *Client) post(ctx context.Context, path string, params url.Values, requestID string, v, out any) error {
	if err := checkRequestID(requestID); err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("quickbooks: encoding %s: %w", path, err)
	}
	return c.call(ctx, &request{
		method: http.MethodPost, path: path, params: params, body: body,
		contentType: "application/json", requestID: requestID,
	}, out)
}

func checkRequestID(id string) error {
	if id == "" || len(id) > maxRequestIDLen {
		return fmt.Errorf("quickbooks: requestid must be 1 to %d characters, got %d", maxRequestIDLen, len(id))
	}
	return nil
}
