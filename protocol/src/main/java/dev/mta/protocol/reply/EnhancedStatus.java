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

    /**
     * The enhanced status a reply line begins with (RFC 2034: "5.1.1 text"), or null when it begins with none. Used
     * on what a next hop said, never on our own strings.
     */
    public static EnhancedStatus leading(CharSequence line) {
        int n = line.length();
        int[] parts = new int[3];
        int i = 0;
        for (int p = 0; p < 3; p++) {
            int start = i;
            int v = 0;
            while (i < n && i - start < 3 && Character.isDigit(line.charAt(i)) && line.charAt(i) < 128) {
                v = v * 10 + (line.charAt(i++) - '0');
            }
            if (i == start || (p == 0 && i - start != 1)) {
                return null;
            }
            parts[p] = v;
            if (p < 2) {
                if (i >= n || line.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        if (i < n && line.charAt(i) != ' ') {
            return null;
        }
        if (parts[0] != 2 && parts[0] != 4 && parts[0] != 5) {
            return null;
        }
        return new EnhancedStatus(parts[0], parts[1], parts[2]);
    }

    /** The same subject and detail in another class: a reply's code decides the class (RFC 3463 2). */
    public EnhancedStatus withClass(int newClass) {
        return newClass == statusClass ? this : new EnhancedStatus(newClass, subject, detail);
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
