/** Engine internals: authenticated links, primitive maps and path keys. Not API. */
package org.netbelief.punch.internal;
