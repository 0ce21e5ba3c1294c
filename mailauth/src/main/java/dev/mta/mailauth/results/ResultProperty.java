package dev.mta.mailauth.results;

import java.util.Objects;

/**
 * One property of a method's result (RFC 8601 2.3): {@code ptype.property=value}, e.g. {@code smtp.mailfrom=a@b}.
 *
 * @param type     the ptype: smtp, header, body or policy
 * @param property the property's name, e.g. mailfrom, d, from
 * @param value    the value, unquoted
 */
public record ResultProperty(String type, String property, String value) {
    public ResultProperty {
        Objects.requireNonNull(value, "value");
        if (!ResultValues.isKeyword(type) || !ResultValues.isKeyword(property)) {
            throw new IllegalArgumentException("not a ptype.property: " + type + "." + property);
        }
    }
}
