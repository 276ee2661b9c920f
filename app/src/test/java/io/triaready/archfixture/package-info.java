/**
 * A deliberately broken miniature of the layers (test only, never on the main classpath):
 * {@link io.triaready.architecture.ArchitectureRulesCanFailTest} runs the real rules over it and asserts
 * that each one reports the violation planted here for it.
 */
package io.triaready.archfixture;
