package dev.mta.protocol.reply;

/** An RFC 3463 enhanced mail system status code: class.subject.detail. */
public final class EnhancedStatus {
    private final int statusClass;
    private final int subject;
    private final int detail;
    private final String text;

    private EnhancedStatus(int statusClass, int subject, int detail) {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("class must be 2, 4 or 5: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("subject and detail are 0..999");
        }
        this.statusClass = statusClass;
        this.subject = subject;
        this.detail = detail;
        this.text = statusClass + "." + subject + "." + detail;
    }

    public static EnhancedStatus of(int statusClass, int subject, int detail) {
        return new EnhancedStatus(statusClass, subject, detail);
    }

    /** Parses "x.y.z"; throws IllegalArgumentException when it is not one. */
    public static EnhancedStatus parse(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an enhanced status code: " + s);
        }
        try {
            return new EnhancedStatus(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an enhanced status code: " + s, e);
        }
    }

    public int statusClass() {
        return statusClass;
    }

    public int subject() {
        return subject;
    }

    public int detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnhancedStatus && ((EnhancedStatus) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
