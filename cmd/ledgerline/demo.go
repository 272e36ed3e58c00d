package main

import (
	"github.com/spf13/cobra"
)

func newDemo(opts *options) *cobra.Command {
	return &cobra.Command{Use: "demo", Short: "Generate a realistic demo population (every event type)", Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error { return nil }}
}
