/**
 * Decisions from beliefs, as pure functions that return their reasons: which endpoint to try
 * first ({@link org.netbelief.model.decide.Decisions#rank}), when to retry ({@link
 * org.netbelief.model.decide.Decisions#pace}) and when to give up and relay ({@link
 * org.netbelief.model.decide.Decisions#giveUp}).
 */
package org.netbelief.model.decide;
