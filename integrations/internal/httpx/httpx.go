// Package httpx is what the integrations share about HTTP: how long each kind of call may take, how much of a body is read, and how long to wait before trying again.
package httpx

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// How long each kind of call may take, from sending the request to the last byte of the answer. These are the
// defaults of the clients' http.Client timeouts and of the contexts that bound token calls.
const (
	// APITimeout bounds one request to the Pipedrive or QuickBooks API (a JSON answer).
	APITimeout = 60 * time.Second
	// TokenTimeout bounds one OAuth token exchange, refresh or revoke.
	TokenTimeout = 30 * time.Second
	// PDFTimeout bounds the download of one invoice PDF.
	PDFTimeout = 2 * time.Minute
)

// How long a server may make a call wait before it is tried again.
const (
	// MaxRetryWait is the longest single wait a Retry-After may ask for; a longer one is returned as an error.
	MaxRetryWait = 60 * time.Second
	// RetryBudget is the most one call may spend waiting over all its retries.
	RetryBudget = 2 * time.Minute
)

// How much of an answer is read.
const (
	// MaxJSONBody bounds a JSON answer (the largest real page, 1000 QuickBooks objects, is a few MB).
	MaxJSONBody = 32 << 20
	// MaxPDFBody bounds an invoice PDF.
	MaxPDFBody = 25 << 20
)

// MaxPages bounds the pages one listing follows: 200 pages of 500 (Pipedrive) or 1000 (QuickBooks) objects is far
// beyond the CRM or books of any company this app is for, and stops a server that never says "last page" before
// the objects read fill the memory.
const MaxPages = 200

// RetryAfter reads a Retry-After header in either form, delay-seconds or an HTTP date (RFC 9110 §10.2.3), as the
// wait from now. ok is false when the header is absent or unreadable; a date in the past is a wait of 0.
func RetryAfter(h http.Header, now time.Time) (wait time.Duration, ok bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Beyond 100 years the seconds would overflow a Duration; any such wait is far over every cap.
		const maxSecs = int64(100 * 365 * 24 * 3600)
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// Backoff is the wait before try attempt+1 (attempt counts from 1): base doubled per attempt, at most limit, with
// "equal jitter" (half fixed, half random) so that clients that failed together do not retry together.
func Backoff(attempt int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half)
}

// ErrTooLarge is matched by every *TooLargeError.
var ErrTooLarge = errors.New("answer too large")

// TooLargeError says an answer was longer than the client reads.
type TooLargeError struct {
	What  string // "answer", "PDF"
	Limit int64  // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the %s is larger than %d MB, more than this app reads", e.What, e.Limit>>20)
}

// Is matches ErrTooLarge.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ReadAll reads r to the end, or returns a *TooLargeError once it passes limit bytes.
func ReadAll(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return b, nil
}

// LimitBody returns body, which fails with a *TooLargeError (and stops reading) once more than limit bytes have
// been read from it.
func LimitBody(body io.ReadCloser, limit int64, what string) io.ReadCloser {
	return &limitedBody{body: body, left: limit, err: &TooLargeError{What: what, Limit: limit}}
}

type limitedBody struct {
	body io.ReadCloser
	left int64 // bytes that may still be read
	err  error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.err
	}
	// Read one byte past the limit, to tell a body of exactly limit bytes from a longer one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n + int(b.left), b.err
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }

// ErrEndlessListing is matched by the errors of Pager.Next: the server kept saying "there is more".
var ErrEndlessListing = errors.New("the listing does not end")

// EndlessListingError says why a listing was stopped: a page position came back, or it passed its page limit.
type EndlessListingError struct {
	Repeated string // the position that came back; "" when the page limit was reached
	Pages    int    // pages read before stopping
}

func (e *EndlessListingError) Error() string {
	if e.Repeated != "" {
		return fmt.Sprintf("the listing does not end: the server sent page position %q a second time, after %d pages", e.Repeated, e.Pages)
	}
	return fmt.Sprintf("the listing does not end: it went on past %d pages", e.Pages)
}

// Is matches ErrEndlessListing.
func (e *EndlessListingError) Is(target error) bool { return target == ErrEndlessListing }

// Pager guards a paging loop against a server that never says "last page": it refuses a page position seen before
// in the same listing and more than Limit pages. The zero value allows MaxPages.
type Pager struct {
	Limit int
	seen  map[string]bool
	pages int
}

// Next records the next page by its position (the cursor or offset asked for or, where the client computes the
// positions itself, a digest of the page the server sent), or returns an *EndlessListingError.
func (p *Pager) Next(pos string) error {
	limit := p.Limit
	if limit <= 0 {
		limit = MaxPages
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	if p.seen[pos] {
		return &EndlessListingError{Repeated: pos, Pages: p.pages}
	}
	if p.pages >= limit {
		return &EndlessListingError{Pages: p.pages}
	}
	p.seen[pos] = true
	p.pages++
	return nil
}
