/**
 * Deliberate violations of the architecture rules, test code only: each class breaks one rule, and
 * {@code ArchitectureRulesTest} shows the rule reporting it. Never used by anything else.
 */
package dev.mta.archplant;
