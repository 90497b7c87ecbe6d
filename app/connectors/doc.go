// Package connectors implements the invoicing ports over the Pipedrive and QuickBooks API clients.
package connectors
