/**
 * Session policy: checks that decide whether a session goes on, at connect, HELO/EHLO, MAIL, RCPT and DATA.
 *
 * <p>A {@link dev.mta.server.policy.SessionPolicy} sees typed facts ({@link dev.mta.server.policy.SessionFacts},
 * {@link dev.mta.server.policy.TransactionFacts}, the paths and parameters of the command) and answers with a
 * {@link dev.mta.server.policy.Verdict}: accept, or the reply to send instead. A
 * {@link dev.mta.server.policy.PolicyChain} runs policies in order and the first that does not accept wins.
 * {@link dev.mta.server.policy.StandardPolicies} is the chain every server runs today: the limits that used to be
 * inline in the session, then relay control ({@link dev.mta.server.policy.RelayAccess}). Local users and abuse
 * limits are meant to be further policies.
 *
 * <p>The session checks the order of commands before the chain runs (a policy never sees MAIL before HELO), and
 * does the work of an accepted command after it. Decisions are synchronous and run on the event loop, so a policy
 * must not block; see {@link dev.mta.server.policy.SessionPolicy} for how asynchronous ones fit.
 */
package dev.mta.server.policy;
