package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrEmptyKey is returned when a setting's key is empty.
var ErrEmptyKey = errors.New("store: setting key is empty")

// Setting returns the value stored under key and whether there was one.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	if key == "" {
		return "", false, ErrEmptyKey
	}
	var value string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("store: read setting %q: %w", key, err)
	}
	return value, true, nil
}

// SetSetting stores value under key, replacing any earlier value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return ErrEmptyKey
	}
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value)
	if err != nil {
		return fmt.Errorf("store: save setting %q: %w", key, err)
	}
	return nil
}

// DeleteSetting removes key; removing a key that is not there is not an error.
func (s *Store) DeleteSetting(ctx context.Context, key string) error {
	if key == "" {
		return ErrEmptyKey
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", key); err != nil {
		return fmt.Errorf("store: delete setting %q: %w", key, err)
	}
	return nil
}

// Settings returns every stored setting.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM settings")
	if err != nil {
		return nil, fmt.Errorf("store: read settings: %w", err)
	}
	defer rows.Close()
	settings := make(map[string]string)
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("store: read settings: %w", err)
		}
		settings[key] = value
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read settings: %w", err)
	}
	return settings, nil
}
