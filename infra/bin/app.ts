#!/usr/bin/env node
import { buildApp } from '../lib/app';

// Account and region come from the CLI's credentials at deploy time; synth needs neither.
buildApp(
  undefined,
  process.env.CDK_DEFAULT_ACCOUNT
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined,
);
