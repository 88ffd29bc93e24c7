#!/bin/sh
# Adds cxreports-mcp to Claude Code for the current user (all projects).
# Replace the three values; 'claude mcp list' then shows the server.
claude mcp add cxreports --scope user \
  --env CXREPORTS_URL=https://your-tenant.cx-reports.app \
  --env CXREPORTS_TOKEN=your-personal-access-token \
  --env CXREPORTS_WORKSPACE=your-workspace-code \
  -- cxreports-mcp
