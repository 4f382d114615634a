<?xml version="1.0" encoding="UTF-8"?>
<!-- review-fo.xsl: the court review report as XSL-FO, from the same data
     document courtdocs renders (`courtdocs facts`), for the side-by-side run
     against Apache FOP in `make bench` (bench/fop.sh). It follows
     templates/court-review.xml part for part: marking and running lines,
     the first page, the at-a-glance table, appointments, weeks, tests with
     the monthly chart (SVG), enforcement, the officer's words, the last
     review; so both programs typeset the same content. Dates are printed
     as they come (ISO): formatting them is not what is being measured. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:fo="http://www.w3.org/1999/XSL/Format" xmlns:svg="http://www.w3.org/2000/svg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template name="cell">
    <xsl:param name="v"/>
    <xsl:param name="align" select="'start'"/>
    <fo:table-cell border="0.4pt solid #888" padding="1.5pt"><fo:block text-align="{$align}"><xsl:value-of select="$v"/></fo:block></fo:table-cell>
  </xsl:template>
  <xsl:template name="head">
    <xsl:param name="v"/>
    <fo:table-cell border="0.4pt solid #888" padding="1.5pt" background-color="#ddd"><fo:block font-weight="bold"><xsl:value-of select="$v"/></fo:block></fo:table-cell>
  </xsl:template>
  <xsl:template name="field">
    <xsl:param name="label"/>
    <xsl:param name="v"/>
    <fo:table-row><fo:table-cell><fo:block font-weight="bold"><xsl:value-of select="$label"/></fo:block></fo:table-cell>
      <fo:table-cell><fo:block><xsl:value-of select="$v"/></fo:block></fo:table-cell></fo:table-row>
  </xsl:template>

  <xsl:template match="/facts">
    <fo:root font-family="DejaVu Sans" font-size="10pt">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="a4" page-width="210mm" page-height="297mm"
            margin-top="10mm" margin-bottom="10mm" margin-left="18mm" margin-right="18mm">
          <fo:region-body margin-top="12mm" margin-bottom="12mm"/>
          <fo:region-before extent="10mm"/>
          <fo:region-after extent="10mm"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <fo:page-sequence master-reference="a4">
        <fo:static-content flow-name="xsl-region-before">
          <fo:block text-align="center" font-weight="bold" font-size="8pt">OFFICIAL-SENSITIVE</fo:block>
          <fo:block font-size="7.5pt" text-align-last="justify">Case <xsl:value-of select="@ref"/> · Court review <xsl:value-of select="review/@number"/><fo:leader/>Hearing <xsl:value-of select="review/@date"/></fo:block>
        </fo:static-content>
        <fo:static-content flow-name="xsl-region-after">
          <fo:block font-size="7.5pt" text-align-last="justify">Document <xsl:value-of select="document/@id"/><fo:leader/>Page <fo:page-number/> of <fo:page-number-citation ref-id="end"/></fo:block>
          <fo:block text-align="center" font-weight="bold" font-size="8pt">OFFICIAL-SENSITIVE</fo:block>
        </fo:static-content>
        <fo:flow flow-name="xsl-region-body">
          <fo:block font-size="16pt" font-weight="bold">Court review report</fo:block>
          <fo:block space-after="4pt"><fo:inline font-weight="bold">Review <xsl:value-of select="review/@number"/></fo:inline>, for the hearing on <xsl:value-of select="review/@date"/>, covering <xsl:value-of select="review/@period-start"/> to <xsl:value-of select="review/@period-end"/>.</fo:block>
          <fo:table table-layout="fixed" width="100%"><fo:table-column column-width="42mm"/><fo:table-column column-width="proportional-column-width(1)"/>
            <fo:table-body>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Name'"/><xsl:with-param name="v" select="concat(person/name, ', born ', person/date-of-birth)"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Case reference'"/><xsl:with-param name="v" select="@ref"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Order'"/><xsl:with-param name="v" select="concat(order/@type-label, ' (', order/@type, '), ', order/@intensity, ' intensity, ', order/@months, ' months')"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Made'"/><xsl:with-param name="v" select="concat(order/@made, ' at ', order/@court, ' by ', order/@sentencer)"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Stage of the order'"/><xsl:with-param name="v" select="concat('week ', order/@week, ' of ', order/@total-weeks, '; ends ', order/@end)"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Supervising officer'"/><xsl:with-param name="v" select="officer/@name"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Rules applied'"/><xsl:with-param name="v" select="concat(@profile-title, ' (', @profile, ')')"/></xsl:call-template>
            </fo:table-body></fo:table>
          <fo:block font-size="13pt" font-weight="bold" space-before="8pt" keep-with-next="always">This period at a glance</fo:block>
          <fo:table table-layout="fixed" width="100%" font-size="8.5pt">
            <fo:table-column column-width="25mm"/><xsl:for-each select="(//node())[position() &lt;= 6]"><fo:table-column column-width="proportional-column-width(1)"/></xsl:for-each>
            <fo:table-header><fo:table-row>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Period'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Attended (kept of required)'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Contact hours a week (standard)'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Weeks meeting the standard'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Tests provided of required'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Opiates negative'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Cocaine negative'"/></xsl:call-template>
            </fo:table-row></fo:table-header>
            <fo:table-body>
              <xsl:for-each select="review/period[@which != 'order']">
                <fo:table-row>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="concat(@which, ' period ', @start, ' to ', @end)"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="attendance/@share"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="concat(contact/@hours-per-week, ' (', contact/@standard-hours, ')')"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="concat(contact/@weeks-met, ' of ', contact/@weeks)"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="concat(tests/@provided, ' of ', tests/@required)"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="tests/substance[@name='opiates']/@share"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="tests/substance[@name='cocaine']/@share"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                </fo:table-row>
              </xsl:for-each>
            </fo:table-body></fo:table>
          <fo:table table-layout="fixed" width="100%" space-before="6pt"><fo:table-column column-width="66mm"/><fo:table-column column-width="proportional-column-width(1)"/>
            <fo:table-body>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Unacceptable failures, last 12 months'"/><xsl:with-param name="v" select="enforcement/@in-window"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Warnings, last 12 months'"/><xsl:with-param name="v" select="enforcement/@warnings-in-window"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Breach'"/><xsl:with-param name="v" select="enforcement/@statement"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Days since last positive test'"/><xsl:with-param name="v" select="review/last-positive/@days"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Direction of travel'"/><xsl:with-param name="v" select="review/trend/@sentence"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Recommendation'"/><xsl:with-param name="v" select="review/notes/note[@kind='recommendation'][last()]"/></xsl:call-template>
              <xsl:call-template name="field"><xsl:with-param name="label" select="'Next review'"/><xsl:with-param name="v" select="review/@next-date"/></xsl:call-template>
            </fo:table-body></fo:table>

          <fo:block break-before="page" font-size="13pt" font-weight="bold" keep-with-next="always">Attendance</fo:block>
          <fo:table table-layout="fixed" width="100%" font-size="8pt">
            <fo:table-column column-width="19mm"/><fo:table-column column-width="12mm"/><fo:table-column column-width="proportional-column-width(1.1)"/>
            <fo:table-column column-width="proportional-column-width(1.6)"/><fo:table-column column-width="13mm"/>
            <fo:table-column column-width="proportional-column-width(1.3)"/><fo:table-column column-width="proportional-column-width(1.8)"/>
            <fo:table-header><fo:table-row>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Date'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Time'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Kind'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'With'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Mins'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Outcome'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Reason given'"/></xsl:call-template>
            </fo:table-row></fo:table-header>
            <fo:table-body>
              <xsl:for-each select="review/appointment">
                <fo:table-row keep-together.within-page="always">
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@date"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@time"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@kind-label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@with"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@minutes"/><xsl:with-param name="align" select="'end'"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@outcome-label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@reason"/></xsl:call-template>
                </fo:table-row>
              </xsl:for-each>
              <xsl:if test="not(review/appointment)"><fo:table-row><fo:table-cell number-columns-spanned="7"><fo:block>No appointments in this period.</fo:block></fo:table-cell></fo:table-row></xsl:if>
            </fo:table-body></fo:table>

          <fo:block font-size="11pt" font-weight="bold" space-before="8pt" keep-with-next="always">Contact hours week by week</fo:block>
          <fo:table table-layout="fixed" width="100%" font-size="8pt">
            <xsl:for-each select="(//node())[position() &lt;= 7]"><fo:table-column column-width="proportional-column-width(1)"/></xsl:for-each>
            <fo:table-header><fo:table-row>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Week'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'From'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'To'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Hours'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Minimum'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Days'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Standard'"/></xsl:call-template>
            </fo:table-row></fo:table-header>
            <fo:table-body>
              <xsl:for-each select="review/period[@which='this']/week">
                <fo:table-row>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@n"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@from"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@to"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@hours"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@standard-hours"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@days"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@met"/></xsl:call-template>
                </fo:table-row>
              </xsl:for-each>
              <xsl:if test="not(review/period[@which='this']/week)"><fo:table-row><fo:table-cell number-columns-spanned="7"><fo:block>No order weeks in this period.</fo:block></fo:table-cell></fo:table-row></xsl:if>
            </fo:table-body></fo:table>

          <fo:block font-size="13pt" font-weight="bold" space-before="8pt" keep-with-next="always">Drug tests</fo:block>
          <fo:table table-layout="fixed" width="100%" font-size="8pt">
            <fo:table-column column-width="19mm"/><fo:table-column column-width="20mm"/><fo:table-column column-width="24mm"/><fo:table-column column-width="proportional-column-width(1)"/>
            <fo:table-header><fo:table-row>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Date'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Method'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Status'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Results'"/></xsl:call-template>
            </fo:table-row></fo:table-header>
            <fo:table-body>
              <xsl:for-each select="review/test">
                <fo:table-row>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@date"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@method-label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@status-label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@results"/></xsl:call-template>
                </fo:table-row>
              </xsl:for-each>
              <xsl:if test="not(review/test)"><fo:table-row><fo:table-cell number-columns-spanned="4"><fo:block>No tests in this period.</fo:block></fo:table-cell></fo:table-row></xsl:if>
            </fo:table-body></fo:table>
          <fo:block keep-with-next="always" space-before="6pt"><fo:instream-foreign-object>
            <svg:svg width="480" height="170" font-family="DejaVu Sans" font-size="8">
              <svg:text x="240" y="10" text-anchor="middle" font-weight="bold" font-size="9">Tests negative by month of the order</svg:text>
              <svg:line x1="40" y1="150" x2="470" y2="150" stroke="black"/><svg:line x1="40" y1="20" x2="40" y2="150" stroke="black"/>
              <svg:text x="36" y="153" text-anchor="end">0%</svg:text><svg:text x="36" y="88" text-anchor="end">50%</svg:text><svg:text x="36" y="23" text-anchor="end">100%</svg:text>
              <xsl:variable name="n" select="count(review/months/month)"/>
              <xsl:for-each select="review/months/month">
                <svg:text x="{40 + position() * 420 div ($n + 1)}" y="162" text-anchor="middle"><xsl:value-of select="@label"/></svg:text>
              </xsl:for-each>
              <svg:polyline fill="none" stroke="#1f4e79" stroke-width="1.5">
                <xsl:attribute name="points"><xsl:for-each select="review/months/month[@opiates]"><xsl:value-of select="concat(40 + @n * 420 div ($n + 1), ',', 150 - @opiates * 1.3, ' ')"/></xsl:for-each></xsl:attribute>
              </svg:polyline>
              <svg:polyline fill="none" stroke="#c55a11" stroke-width="1.5" stroke-dasharray="4,2">
                <xsl:attribute name="points"><xsl:for-each select="review/months/month[@cocaine]"><xsl:value-of select="concat(40 + @n * 420 div ($n + 1), ',', 150 - @cocaine * 1.3, ' ')"/></xsl:for-each></xsl:attribute>
              </svg:polyline>
            </svg:svg></fo:instream-foreign-object></fo:block>
          <fo:block font-size="8pt" font-style="italic"><xsl:value-of select="review/trend/@sentence"/></fo:block>

          <fo:block font-size="13pt" font-weight="bold" space-before="8pt" keep-with-next="always">Enforcement</fo:block>
          <fo:block><xsl:value-of select="enforcement/@statement"/></fo:block>
          <fo:table table-layout="fixed" width="100%" font-size="8pt">
            <fo:table-column column-width="8mm"/><fo:table-column column-width="20mm"/><fo:table-column column-width="proportional-column-width(2)"/>
            <fo:table-column column-width="proportional-column-width(1.2)"/><fo:table-column column-width="proportional-column-width(1.3)"/><fo:table-column column-width="22mm"/>
            <fo:table-header><fo:table-row>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'No.'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Date'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Failure'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Records'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Action'"/></xsl:call-template>
              <xsl:call-template name="head"><xsl:with-param name="v" select="'Drops out'"/></xsl:call-template>
            </fo:table-row></fo:table-header>
            <fo:table-body>
              <xsl:for-each select="enforcement/failure[@in-window='true']">
                <fo:table-row>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@n"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@date"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@records"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@status-label"/></xsl:call-template>
                  <xsl:call-template name="cell"><xsl:with-param name="v" select="@drops-out"/></xsl:call-template>
                </fo:table-row>
              </xsl:for-each>
              <xsl:if test="not(enforcement/failure[@in-window='true'])"><fo:table-row><fo:table-cell number-columns-spanned="6"><fo:block>No unacceptable failures in the last 12 months.</fo:block></fo:table-cell></fo:table-row></xsl:if>
            </fo:table-body></fo:table>

          <xsl:for-each select="review/notes/note">
            <fo:block font-size="11pt" font-weight="bold" space-before="6pt" keep-with-next="always"><xsl:value-of select="@kind-label"/></fo:block>
            <fo:block linefeed-treatment="preserve"><xsl:value-of select="."/></fo:block>
          </xsl:for-each>
          <xsl:for-each select="review/previous-review">
            <fo:block font-size="13pt" font-weight="bold" space-before="8pt" keep-with-next="always">The last review</fo:block>
            <fo:block>Held <xsl:value-of select="@date"/>; outcome <xsl:value-of select="@outcome-label"/>.</fo:block>
            <fo:block>Comments: <xsl:value-of select="comments"/></fo:block>
            <fo:block>Directions: <xsl:value-of select="directions"/></fo:block>
          </xsl:for-each>
          <fo:block space-before="8pt">Next review: <xsl:value-of select="review/@next-date"/>. This report applies the <xsl:value-of select="@profile-title"/>.</fo:block>
          <fo:block space-before="30pt" border-top="0.5pt solid black"><xsl:value-of select="officer/@name"/>, supervising officer</fo:block>
          <fo:block id="end"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>
</xsl:stylesheet>
